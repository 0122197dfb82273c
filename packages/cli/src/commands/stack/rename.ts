import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('rename')
    .description('rename a stack (the active stack setting follows)')
    .argument('<name>', 'current name')
    .argument('<new-name>', 'new name')
    .action(async (name, newName) => {
      await withProject(async (project, lib) => {
        await lib.renameStack(project, name, newName);
        process.stdout.write(`renamed stack ${name} to ${newName}\n`);
      });
    });
}
