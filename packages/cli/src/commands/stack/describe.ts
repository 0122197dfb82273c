import { bold, formatValue, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('describe')
    .description(
      'show a stack (default: the active one) and its components; secrets appear only as references',
    )
    .argument('[name]', 'stack name')
    .option('--json', 'print JSON')
    .action(async (name, options, command) => {
      const { stack: override } = command.optsWithGlobals() as { stack?: string };
      await readProject(async (project, lib) => {
        const description = await lib.describeStack(project, name ?? project.activeStackName(override));
        if (options.json) return printJson(description);
        process.stdout.write(
          `${bold(`stack ${description.name}`)}${description.active ? ' (active)' : ''}\n`,
        );
        process.stdout.write(`metadata store: ${description.database}\n`);
        printTable(
          ['TYPE', 'COMPONENT', 'FLAVOR', 'CONFIG'],
          description.components.map((c) => [
            c.type.replace(/_/g, '-'),
            c.name,
            c.flavor,
            Object.entries((c.config ?? {}) as Record<string, unknown>)
              .map(([k, v]) => `${k}=${formatValue(v)}`)
              .join(' '),
          ]),
        );
      });
    });
}
