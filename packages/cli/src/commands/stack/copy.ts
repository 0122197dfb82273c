import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('copy')
    .description('copy a stack under a new name (the components are shared, not copied)')
    .argument('<name>', 'stack to copy')
    .argument('<target>', 'name of the copy')
    .action(async (name, target) => {
      await withProject(async (project, lib) => {
        await lib.copyStack(project, name, target);
        process.stdout.write(`copied stack ${name} to ${target}\n`);
      });
    });
}
