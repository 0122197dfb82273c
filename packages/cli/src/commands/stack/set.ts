import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('set')
    .description(
      'make NAME the active stack of this project (fails, changing nothing, if it does not validate)',
    )
    .argument('<name>', 'stack name')
    .action(async (name) => {
      await withProject(async (project, lib) => {
        await lib.setActiveStack(project, name);
        process.stdout.write(`active stack: ${name}\n`);
      });
    });
}
