import type { RunNow } from './context.js';

/**
 * Multi-row INSERTs as plain SQL for the SQLite store's writeNow paths (a group of completions, a
 * run and its step rows, a map's instance rows): a table's rows go in statements of 64, 32, 16, ... 1 rows, each text made once per
 * process, so inserting a run's hundreds of step rows or a map's items is a few statements.
 */

/** A table's insert: its columns in the order values are given, and the statement texts made so far. */
export interface RowsInsert {
  readonly table: string;
  readonly columns: readonly string[];
  /** Statement texts by row count (powers of two up to MAX_ROWS). */
  readonly texts: Map<number, string>;
}

/** Rows per INSERT at most (64 artifacts bind 768 values, well under SQLite's 32,766). */
const MAX_ROWS = 64;

/**
 * Inserts `values` (whole rows, column after column) in statements of 64, 32, 16, ... 1 rows, so a
 * table has at most seven statement texts (the driver keeps each prepared) whatever the group sizes.
 */
export function insertRows(run: RunNow, insert: RowsInsert, values: readonly unknown[]): void {
  const width = insert.columns.length;
  let row = 0;
  let left = values.length / width;
  while (left > 0) {
    let n = MAX_ROWS;
    while (n > left) n >>= 1;
    run(
      rowsText(insert, n),
      n * width === values.length ? values : values.slice(row * width, (row + n) * width),
    );
    row += n;
    left -= n;
  }
}

function rowsText(insert: RowsInsert, rows: number): string {
  let text = insert.texts.get(rows);
  if (text === undefined) {
    const row = `(${placeholders(insert.columns.length)})`;
    text = `insert into "${insert.table}" (${insert.columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')}`;
    insert.texts.set(rows, text);
  }
  return text;
}

/** An insert into `table` of these columns (values are given column after column, row after row). */
export function rowsInsert(table: string, columns: readonly string[]): RowsInsert {
  return { table, columns, texts: new Map() };
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
