import { printJson } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('validate')
    .description(
      "check a stack (default: the active one): components exist, configs parse, flavors' composition rules",
    )
    .argument('[name]', 'stack name')
    .option('--json', 'print JSON')
    .action(async (name, options, command) => {
      const { stack: override } = command.optsWithGlobals() as { stack?: string };
      await withProject(async (project, lib) => {
        const stack = name ?? project.activeStackName(override);
        await lib.validateStack(project, stack);
        if (options.json) return printJson({ stack, valid: true });
        process.stdout.write(`stack ${stack} is valid\n`);
      });
    });
}
