/**
 * A dense row-major matrix of float64 values: the typed-array form models train on. One
 * allocation instead of a JS array per row, so a million-row training set costs 8 bytes a cell
 * and can be handed to a worker thread without copying (the buffer is transferable or shared).
 */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  /** `data[r * cols + c]` is row r, column c. */
  readonly data: Float64Array;
}

export function matrixFromRows(X: readonly (readonly number[])[]): DenseMatrix {
  const rows = X.length;
  const cols = X[0]?.length ?? 0;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = X[r]!;
    if (row.length !== cols) throw new Error(`Row ${r} has ${row.length} values, row 0 has ${cols}`);
    data.set(row, r * cols);
  }
  return { rows, cols, data };
}

export function isDenseMatrix(value: unknown): value is DenseMatrix {
  const v = value as Partial<DenseMatrix> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.data instanceof Float64Array &&
    typeof v.rows === 'number' &&
    typeof v.cols === 'number'
  );
}
