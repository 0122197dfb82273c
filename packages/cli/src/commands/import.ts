import { printJson } from '../output/format.js';
import { summary } from './export.js';
import type { GlobalCommand } from './index.js';
import { commandDatabaseUrl } from './migrate/database.js';

export function register(program: GlobalCommand): void {
  program
    .command('import')
    .description('load a `strata export` FILE into an empty metadata store (migrated first; all or nothing)')
    .argument('<file>', 'file written by `strata export`')
    .option('--database <url>', "another metadata database (default: the project's)")
    .option('--json', 'print the row counts as JSON')
    .action(async (file, options) => {
      const { importStore, openDatabase } = await import('@strata/metadata');
      const db = await openDatabase(await commandDatabaseUrl(options.database));
      try {
        const counts = await importStore(db, file);
        if (options.json) return printJson({ file, target: db.url, counts });
        process.stdout.write(`imported ${summary(counts)} from ${file} into ${db.url}\n`);
      } finally {
        await db.close();
      }
    });
}
