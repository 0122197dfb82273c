import { type RecordBatch, Table } from 'apache-arrow';
import { rowHashes, unitOf } from './row-hash.js';
import { columnNames, selectRows } from './table.js';

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
 * Split deterministically by hashing: a row goes to eval when its 32-bit hash (see `rowHashes`:
 * murmur3 mixing of the seed and the values) divided by 2^32 is below `evalFraction`. The hashed
 * values are the key column's cell or, without a key, every column's cell in column-name order
 * (so reordering columns does not move rows). The same row lands on the same side on every machine,
 * and adding rows never moves old ones.
 */
export function splitByHash(table: Table, options: SplitOptions): SplitResult {
  const { evalFraction, key, seed = 0 } = options;
  if (!(evalFraction >= 0 && evalFraction <= 1)) {
    throw new Error(`evalFraction must be between 0 and 1, got ${evalFraction}`);
  }
  const columns = key === undefined ? columnNames(table).sort() : [key];
  // Batch by batch: a row's hash depends on its own values only, so the sides are the same as
  // splitting the whole table at once, while the hashes, row lists and gathered copies in memory
  // at a time are one batch's, not the table's (10M rows: 80 MB of hashes and row lists, and a
  // float64 copy of each chunked column, less).
  const train: Table[] = [];
  const evalParts: Table[] = [];
  for (const batch of table.batches) {
    const [t, e] = splitBatch(new Table([batch]), columns, evalFraction, seed);
    train.push(t);
    evalParts.push(e);
  }
  return { train: joined(table, train), eval: joined(table, evalParts) };
}

/**
 * `splitByHash` over record batches as they are read (e.g. `readBatches` of a file), so the whole
 * table is never held beside its two sides: each batch is split and let go of. The same sides,
 * rows and order as `splitByHash` of the table the batches make. Use `columns` when a batch
 * stream's column order may differ from the table's (hashing goes by name either way).
 */
export async function splitBatches(
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  options: SplitOptions,
  /** The (empty) table to split when there are no batches; without it, no batches is an error. */
  whenEmpty?: () => Table,
): Promise<SplitResult & { readonly rows: number }> {
  const { evalFraction, key, seed = 0 } = options;
  if (!(evalFraction >= 0 && evalFraction <= 1)) {
    throw new Error(`evalFraction must be between 0 and 1, got ${evalFraction}`);
  }
  const train: Table[] = [];
  const evalParts: Table[] = [];
  let first: Table | undefined;
  let rows = 0;
  for await (const batch of batches) {
    const part = new Table([batch]);
    first ??= part;
    rows += part.numRows;
    const columns = key === undefined ? columnNames(part).sort() : [key];
    const [t, e] = splitBatch(part, columns, evalFraction, seed);
    train.push(t);
    evalParts.push(e);
  }
  if (!first && whenEmpty) return { rows: 0, ...splitByHash(whenEmpty(), options) };
  if (!first) throw new Error('splitBatches: no record batches given');
  return { rows, train: joined(first, train), eval: joined(first, evalParts) };
}

function splitBatch(
  part: Table,
  columns: readonly string[],
  evalFraction: number,
  seed: number | string,
): [Table, Table] {
  const hashes = rowHashes(part, columns, seed);
  let evalCount = 0;
  for (let i = 0; i < hashes.length; i++) if (unitOf(hashes[i]!) < evalFraction) evalCount++;
  const trainRows = new Uint32Array(hashes.length - evalCount);
  const evalRows = new Uint32Array(evalCount);
  let t = 0;
  let e = 0;
  for (let i = 0; i < hashes.length; i++) {
    if (unitOf(hashes[i]!) < evalFraction) evalRows[e++] = i;
    else trainRows[t++] = i;
  }
  return [selectRows(part, trainRows), selectRows(part, evalRows)];
}

/** The parts' batches as one table (the empty selection of `table` when no part has rows). */
function joined(table: Table, parts: readonly Table[]): Table {
  const batches = parts.filter((p) => p.numRows > 0).flatMap((p) => p.batches);
  if (batches.length === 0) return selectRows(table, []);
  return new Table(batches);
}
