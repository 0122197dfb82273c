import { printJson, printTable } from '../../output/format.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('list')
    .description('list secret names and their keys (never the values)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const { openSecrets } = await import('@strata/project');
      const secrets = await (await openSecrets()).secrets.list();
      if (options.json) return printJson(secrets);
      printTable(
        ['SECRET', 'KEYS'],
        secrets.map((s) => [s.name, s.keys.join(', ')]),
      );
    });
}
