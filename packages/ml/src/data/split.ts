import type { Table } from 'apache-arrow';
import { canonicalJson, unitHash } from './hash.js';
import { columnNames, columnValues, selectRows } from './table.js';

/**
 * Each row's canonical JSON (keys sorted), built column by column: the same text as
 * canonicalJson(row) for the flat rows of a table, without a million row objects.
 */
function rowKeys(table: Table): (index: number) => string {
  const names = columnNames(table).sort();
  const columns = names.map((name) => columnValues(table, name));
  const prefixes = names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  return (index) => {
    let text = '';
    for (let c = 0; c < names.length; c++) text += prefixes[c]! + JSON.stringify(columns[c]![index]);
    return names.length === 0 ? '{}' : `${text}}`;
  };
}

function keyColumn(table: Table, key: string): (index: number) => string {
  const values = columnValues(table, key);
  return (index) => canonicalJson(values[index]);
}

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
  const train: number[] = [];
  const evalRows: number[] = [];
  const keyOf = key === undefined ? rowKeys(table) : keyColumn(table, key);
  for (let index = 0; index < table.numRows; index++) {
    (unitHash(`${seed}:${keyOf(index)}`) < evalFraction ? evalRows : train).push(index);
  }
  return { train: selectRows(table, train), eval: selectRows(table, evalRows) };
}
