import { withProject } from '../../output/project.js';
import type { Group } from './index.js';
import { componentOptions, componentsFromFlags } from './options.js';

export function register(group: Group): void {
  componentOptions(group.command('update'))
    .description(
      "change a stack's components (pass '' to remove an optional one); validated before it is stored",
    )
    .argument('<name>', 'stack name')
    .action(async (name, options) => {
      await withProject(async (project, lib) => {
        await lib.updateStack(project, name, componentsFromFlags(options));
        process.stdout.write(`updated stack ${name}\n`);
      });
    });
}
