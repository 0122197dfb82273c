import { printJson, printTable } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('list')
    .description('list secret names and their keys (never the values)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withProject(async (project) => {
        const secrets = await project.secrets.list();
        if (options.json) return printJson(secrets);
        printTable(
          ['SECRET', 'KEYS'],
          secrets.map((s) => [s.name, s.keys.join(', ')]),
        );
      });
    });
}
