import { withProject } from '../../output/project.js';
import { aOrAn } from './a-or-an.js';
import type { Group } from './index.js';

export function register(group: Group, type: string): void {
  group
    .command('rename')
    .description(`rename ${aOrAn(group.name())}; stacks using it follow`)
    .argument('<name>', 'current name')
    .argument('<new-name>', 'new name')
    .action(async (name, newName) => {
      await withProject(async (project, lib) => {
        await lib.renameComponent(project, type, name, newName);
        process.stdout.write(`renamed ${group.name()} ${name} to ${newName}\n`);
      });
    });
}
