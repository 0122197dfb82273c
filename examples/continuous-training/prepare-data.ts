/**
 * Writes the penguins data set as daily CSV drops: `day-N.csv` holds every Nth-of-K row (the source
 * file is sorted by species, so every drop sees all three). `pnpm prepare-data [DIR] [DAYS]`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FEATURES, LABEL } from './pipeline.js';

type Penguin = Record<string, string | number | null>;

export function penguinRows(): Penguin[] {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  const file = join(entry.slice(0, entry.lastIndexOf('/build/')), 'data', 'penguins.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as Penguin[]).filter(
    (r) => r[LABEL] && FEATURES.every((f) => r[f] !== null && r[f] !== undefined),
  );
}

const quote = (v: unknown) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));

/** Day `day` (0-based) of `days`: the rows whose index modulo `days` is `day`, as CSV text. */
export function dayCsv(day: number, days: number): string {
  const columns = [LABEL, ...FEATURES];
  const rows = penguinRows().filter((_r, i) => i % days === day);
  return `${[columns, ...rows.map((r) => columns.map((c) => r[c]))].map((l) => l.map(quote).join(',')).join('\n')}\n`;
}

if (process.argv[1]?.endsWith('prepare-data.ts')) {
  const dir = process.argv[2] ?? 'drops';
  const days = Number(process.argv[3] ?? 3);
  mkdirSync(dir, { recursive: true });
  for (let d = 0; d < days; d++) writeFileSync(join(dir, `day-${d + 1}.csv`), dayCsv(d, days));
  process.stdout.write(`wrote ${days} daily drops to ${dir}/\n`);
}
