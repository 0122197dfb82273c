import { printJson } from '../../output/format.js';
import { commandDatabaseUrl } from './database.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('up')
    .description(
      'apply pending migrations (one transaction, behind a lock: safe while other processes start)',
    )
    .option('--database <url>', "another metadata database (default: the project's)")
    .option('--json', 'print JSON')
    .action(async (options) => {
      const { migrate } = await import('@strata/metadata');
      const result = await migrate(await commandDatabaseUrl(options.database));
      if (options.json) return printJson(result);
      process.stdout.write(
        result.applied.length === 0
          ? `${result.url}: up to date at schema version ${result.to}\n`
          : `${result.url}: schema version ${result.from} -> ${result.to} (applied ${result.applied.join(', ')})\n`,
      );
    });
}
