/** Plain-text tables and JSON for every listing; colours only on a TTY (and never with NO_COLOR). */
export const colours = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

const paint = (code: number) => (text: string) => (colours ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);
export const cyan = paint(36);

export function statusColour(status: string): string {
  if (status === 'completed') return green(status);
  if (status === 'cached') return cyan(status);
  if (['failed', 'cancelled', 'crashed', 'timed_out'].includes(status)) return red(status);
  if (status === 'running') return yellow(status);
  return status;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const visible = (text: string) => text.replace(ansi, '').length;

/** A left-aligned table with a header row; `rows` cells are already strings. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visible(c))))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${bold(line(header))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

export function formatTime(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '-';
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
