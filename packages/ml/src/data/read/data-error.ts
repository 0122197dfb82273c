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
  ) {
    super(`${describe(location)}: ${problem}; ${fix}`);
  }
}

function describe({ file, row, rowGroup, column }: DataLocation): string {
  const parts = [file];
  if (row !== undefined) parts.push(`row ${row}`);
  if (rowGroup !== undefined) parts.push(`row group ${rowGroup}`);
  if (column !== undefined) parts.push(`column "${column}"`);
  return parts.join(', ');
}
