import type { Table } from 'apache-arrow';
import { canonicalJson, unitHash } from './hash.js';
import { columnValues, rowsOf, selectRows } from './table.js';

export interface SplitOptions {
  /** Column whose value decides a row's side (rows sharing a key stay together). Default: the whole row. */
  readonly key?: string;
  /** Share of rows (in expectation) that go to eval, in [0, 1]. */
  readonly evalFraction: number;
  /** Changes the assignment while keeping it deterministic. Default `0`. */
  readonly seed?: number | string;
}

export interface SplitResult {
  readonly train: Table;
  readonly eval: Table;
}

/**
 * Split deterministically by hashing: a row goes to eval when sha256(`seed:value`) maps below
 * `evalFraction`, where value is the key column's cell or, without a key, the row's canonical JSON.
 * The same row lands on the same side on every machine, and adding rows never moves old ones.
 */
export function splitByHash(table: Table, options: SplitOptions): SplitResult {
  const { evalFraction, key, seed = 0 } = options;
  if (!(evalFraction >= 0 && evalFraction <= 1)) {
    throw new Error(`evalFraction must be between 0 and 1, got ${evalFraction}`);
  }
  const keys =
    key === undefined ? rowsOf(table).map(canonicalJson) : columnValues(table, key).map(canonicalJson);
  const train: number[] = [];
  const evalRows: number[] = [];
  keys.forEach((text, index) => {
    (unitHash(`${seed}:${text}`) < evalFraction ? evalRows : train).push(index);
  });
  return { train: selectRows(table, train), eval: selectRows(table, evalRows) };
}
