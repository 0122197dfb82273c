/** Where in an input a value was bad: the file, and the row (1-based, header not counted) or row group. */
export interface DataLocation {
  readonly file: string;
  readonly row?: number;
  readonly rowGroup?: number;
  readonly column?: string;
}

/**
 * Malformed input data. The message names the file, the row (or row group) and the column, and
 * says how to fix it; the fields carry the same for programs.
 */
export class DataFormatError extends Error {
  override readonly name = 'DataFormatError';
  readonly code = 'malformed_data';
  constructor(
    readonly location: DataLocation,
    readonly problem: string,
    readonly fix: string,
    /**
     * The column whose type, forced by the reader's schemaHint, would fix this (a type change
     * mid-file, a JSON key first seen late): a caller whose users set types another way (the
     * ingest step's `columnTypes`) restates the fix with `withFix`.
     */
    readonly typeHintColumn?: string,
  ) {
    super(`${describe(location)}: ${problem}; ${fix}`);
  }

  /** The same problem at the same place with another fix (one that names the caller's parameter). */
  withFix(fix: string): DataFormatError {
    return new DataFormatError(this.location, this.problem, fix, this.typeHintColumn);
  }
}

function describe({ file, row, rowGroup, column }: DataLocation): string {
  const parts = [file];
  if (row !== undefined) parts.push(`row ${row}`);
  if (rowGroup !== undefined) parts.push(`row group ${rowGroup}`);
  if (column !== undefined) parts.push(`column "${column}"`);
  return parts.join(', ');
}

/**
 * A selected column (`columns` of a read) that the file does not have. `names` are all of the
 * file's columns, so the message (and a caller restating it) can say which exist.
 */
export class MissingColumnError extends DataFormatError {
  constructor(
    file: string,
    readonly column: string,
    readonly names: readonly string[],
  ) {
    super({ file, column }, `no such column`, `select one of its columns: ${names.join(', ')}`);
  }
}

/** Which of a file's columns a read keeps, and who hears the file's column names first. */
export interface ColumnSelection {
  /** Only these columns (default all). */
  readonly columns?: readonly string[];
  /** Called with all of a file's column names once they are known, before any batch or row error. */
  readonly onColumns?: (names: readonly string[]) => void;
}

/**
 * The file's columns a read keeps (`columns`, or all of them), in the file's order; a selected
 * column the file lacks is a MissingColumnError.
 */
export function keptColumns(
  file: string,
  names: readonly string[],
  { columns, onColumns }: ColumnSelection = {},
): string[] {
  onColumns?.(names);
  if (!columns) return [...names];
  const present = new Set(names);
  for (const column of columns) if (!present.has(column)) throw new MissingColumnError(file, column, names);
  const wanted = new Set(columns);
  return names.filter((name) => wanted.has(name));
}
