import { printJson } from '../output/format.js';
import type { GlobalCommand } from './index.js';
import { commandDatabaseUrl } from './migrate/database.js';

export function register(program: GlobalCommand): void {
  program
    .command('export')
    .description(
      'write the whole metadata store (runs, lineage, logs, stacks, models, snapshots) to FILE as JSON lines',
    )
    .argument('<file>', 'file to write (replaced when complete)')
    .option('--database <url>', "another metadata database (default: the project's)")
    .option('--json', 'print the row counts as JSON')
    .action(async (file, options) => {
      const { exportStore, openDatabase } = await import('@strata/metadata');
      const db = await openDatabase(await commandDatabaseUrl(options.database), { migrate: false });
      try {
        const counts = await exportStore(db, file);
        if (options.json) return printJson({ file, source: db.url, counts });
        process.stdout.write(`exported ${summary(counts)} from ${db.url} to ${file}\n`);
      } finally {
        await db.close();
      }
    });
}

export function summary(counts: Readonly<Record<string, number>>): string {
  const parts = ['runs', 'step_runs', 'artifacts', 'stacks', 'model_versions'].map(
    (t) => `${counts[t] ?? 0} ${t.replace('_', ' ')}`,
  );
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return `${total} rows (${parts.join(', ')})`;
}
