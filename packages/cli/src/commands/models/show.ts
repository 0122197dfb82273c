import { bold, formatTime, formatValue, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';
import { registryOf } from './registry.js';

export function register(group: Group): void {
  group
    .command('show')
    .alias('describe') // as `stack describe`, `trigger describe`: either name works
    .description('show a model version (NAME, NAME@alias or NAME@version) and the alias history')
    .argument('<model>', 'NAME, NAME@alias or NAME@version')
    .option('--json', 'print JSON')
    .action(async (ref, options) => {
      await readProject(async (project) => {
        const registry = await registryOf(project, group);
        const version = await registry.resolve(ref);
        const history = await registry.history(version.model);
        if (options.json) return printJson({ version, history });
        process.stdout.write(`${bold(`${version.model} v${version.version}`)}\n`);
        printTable(
          ['FIELD', 'VALUE'],
          Object.entries({
            run: version.runId,
            artifact: version.artifactId,
            metrics: version.metrics,
            metadata: version.metadata,
            created: formatTime(version.createdAt),
          }).map(([k, v]) => [k, formatValue(v)]),
        );
        process.stdout.write(`\n${bold('alias history')}\n`);
        printTable(
          ['WHEN', 'ALIAS', 'ACTION', 'VERSION', 'FROM', 'BY', 'REASON'],
          history.map((c) => [
            formatTime(c.at),
            c.alias,
            c.action,
            `v${c.version}`,
            c.previousVersion === null ? '-' : `v${c.previousVersion}`,
            c.actor,
            c.reason,
          ]),
        );
      });
    });
}
