// Test helpers: real data sets shipped as fixtures (see README.md beside this file).
import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import { readDataset } from '../data/ingest.js';
import type { SplitResult } from '../data/split.js';
import { splitByHash } from '../data/split.js';
import { columnValues } from '../data/table.js';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/** Palmer penguins (344 rows, 2 with no measurements), split 75/25 by row hash. */
export async function penguinsSplit(): Promise<SplitResult> {
  const { table } = await readDataset(fixturePath('penguins.csv'));
  return splitByHash(table, { evalFraction: 0.25, seed: 7 });
}

/** Auto MPG (406 rows, 8 without mpg), split 75/25 by car name so duplicates stay on one side. */
export async function carsSplit(): Promise<SplitResult> {
  const { table } = await readDataset(fixturePath('cars.csv'));
  return splitByHash(table, { key: 'name', evalFraction: 0.25, seed: 7 });
}

/** The share of the most frequent value of a column: the accuracy of always predicting it. */
export function majorityShare(table: Table, column: string): number {
  const counts = new Map<unknown, number>();
  for (const value of columnValues(table, column)) counts.set(value, (counts.get(value) ?? 0) + 1);
  return Math.max(...counts.values()) / table.numRows;
}
