import type { MigrationStatus } from '@strata/metadata';
import { printJson, printTable } from '../../output/format.js';
import { commandDatabaseUrl } from './database.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('status')
    .description(
      'show the schema version of the metadata database and the pending migrations (changes nothing)',
    )
    .option('--database <url>', "another metadata database (default: the project's)")
    .option('--json', 'print JSON')
    .action(async (options) => {
      const { migrationStatus } = await import('@strata/metadata');
      const status = await migrationStatus(await commandDatabaseUrl(options.database));
      if (options.json) return printJson(status);
      process.stdout.write(
        `${status.url}: schema version ${status.currentVersion} of ${status.latestVersion} (${stateText(status)})\n`,
      );
      if (status.state === 'too_new') {
        process.stdout.write('this Strata is older than the database: upgrade Strata on this machine\n');
      }
      if (status.pending.length > 0) {
        printTable(
          ['PENDING', 'NAME'],
          status.pending.map((m) => [String(m.version), m.name]),
        );
        process.stdout.write('apply them with `strata migrate up`\n');
      }
    });
}

/**
 * The state in words. A store can be `behind` at the latest version number: a migration numbered
 * below it (added later, in a gap) is pending, so the count is what says how far behind.
 */
export function stateText(status: Pick<MigrationStatus, 'state' | 'pending'>): string {
  if (status.state === 'behind') return `behind: ${status.pending.length} pending`;
  return status.state === 'too_new' ? 'newer than this Strata' : 'up to date';
}
