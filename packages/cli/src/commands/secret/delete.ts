import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('delete')
    .description('delete a secret')
    .argument('<name>', 'secret name')
    .action(async (name) => {
      await withProject(async (project) => {
        await project.secrets.delete(name);
        process.stdout.write(`deleted secret ${name}\n`);
      });
    });
}
