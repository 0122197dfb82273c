import { withProject } from '../../output/project.js';
import { aOrAn } from './a-or-an.js';
import type { Group } from './index.js';

export function register(group: Group, type: string): void {
  group
    .command('delete')
    .description(`delete ${aOrAn(group.name())} that no stack uses`)
    .argument('<name>', 'component name')
    .action(async (name) => {
      await withProject(async (project, lib) => {
        await lib.deleteComponent(project, type, name);
        process.stdout.write(`deleted ${group.name()} ${name}\n`);
      });
    });
}
