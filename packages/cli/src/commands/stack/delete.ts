import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('delete')
    .description('delete a stack (not the active one); its components stay registered')
    .argument('<name>', 'stack name')
    .action(async (name) => {
      await withProject(async (project, lib) => {
        await lib.deleteStack(project, name);
        process.stdout.write(`deleted stack ${name}\n`);
      });
    });
}
