import { Readable } from 'node:stream';
import { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv.js';
import { columnTypes, rowsOf, tableFromRows } from '../table.js';
import { BATCH_ROWS } from './batch-builder.js';
import { parseDecimal } from './byte-columns.js';
import { csvBatches } from './csv-batches.js';

/** A seeded generator, so a failure names a reproducible file. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [
  '1',
  '-0',
  '+.5',
  '1.',
  '12.25',
  '-3.5e2',
  '1E-3',
  '12345678901234567',
  '0.1',
  '7',
  '0',
  '-42.125',
];
const TEXTS = ['Biscoe', 'Dream, "north"', 'two\nlines', 'Zürich 🐧', '007', 'a""b', '', ' padded '];

/** A CSV exercising every byte path: quoted numbers, escapes, multi-line and multi-byte text, blanks, CRLF. */
function trickyCsv(rows: number, seed: number, eol: string): string {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const lines = ['\uFEFFnum,text,code,flag,wide'];
  for (let i = 0; i < rows; i++) {
    const n = next() < 0.05 ? '' : next() < 0.1 ? quote(pick(NUMBERS)) : pick(NUMBERS);
    const t = pick(TEXTS);
    const text = /[",\n]/.test(t) || next() < 0.2 ? quote(t) : t;
    const code = next() < 0.5 ? '007' : String(Math.floor(next() * 1000));
    const flag = next() < 0.05 ? '' : next() < 0.5 ? 'true' : 'False';
    const wide = `w${'x'.repeat(Math.floor(next() * 80))}`;
    lines.push(`${n},${text},${code},${flag},${wide}`);
    if (next() < 0.01) lines.push('');
  }
  return lines.join(eol) + (seed % 2 === 0 ? eol : '');
}

/** The bytes of `text` in chunks of random sizes (1 byte to 3 KiB), split inside characters too. */
function chunked(text: string, seed: number): Readable {
  const bytes = Buffer.from(text);
  const next = random(seed);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() ** 3 * 3072);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(chunks);
}

async function read(input: Readable): Promise<Table> {
  const batches = [];
  for await (const batch of csvBatches(input, 'f.csv')) batches.push(batch);
  return new Table(batches);
}

describe('CSV bytes to record batches', () => {
  it('equals parsing the whole text, in any chunking, across batches (LF and CRLF)', async () => {
    for (const [seed, eol] of [
      [1, '\n'],
      [2, '\r\n'],
    ] as const) {
      const text = trickyCsv(BATCH_ROWS + 3000, seed, eol);
      const whole = tableFromRows(parseCsv(text));
      const streamed = await read(chunked(text, seed));
      expect(columnTypes(streamed)).toEqual({
        num: 'numeric',
        text: 'categorical',
        code: 'categorical',
        flag: 'boolean',
        wide: 'categorical',
      });
      expect(columnTypes(streamed)).toEqual(columnTypes(whole));
      expect(streamed.numRows).toBe(whole.numRows);
      expect(rowsOf(streamed)).toEqual(rowsOf(whole));
      expect(rowsOf(await read(Readable.from([Buffer.from(text)])))).toEqual(rowsOf(whole));
    }
  });

  it('parses plain decimals from bytes to the same double as Number(), and leaves other forms to it', () => {
    const next = random(7);
    const bytes = (s: string) => new TextEncoder().encode(s);
    for (let i = 0; i < 20_000; i++) {
      const digits = String(Math.floor(next() * 10 ** Math.ceil(next() * 15)));
      const point = Math.floor(next() * (digits.length + 1));
      const text = `${next() < 0.3 ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
      const b = bytes(text);
      if (text === '.' || text === '-.') continue;
      const parsed = parseDecimal(b, 0, b.length);
      if (!Number.isNaN(parsed)) expect(Object.is(parsed, Number(text)), text).toBe(true);
    }
    for (const text of ['1e5', '007', '1234567890123456', 'abc', '', '-', '1.2.3'])
      expect(parseDecimal(bytes(text), 0, bytes(text).length), text).toBeNaN();
    expect(parseDecimal(bytes('-0'), 0, 2)).toBe(-0);
    expect(parseDecimal(bytes('.5'), 0, 2)).toBe(0.5);
  });

  it('reads CR-only line ends, and names the row and column of an unterminated quote and of text after a quote', async () => {
    const cr = await read(Readable.from([Buffer.from('a,b\r1,x\r2,"y"\r')]));
    expect(rowsOf(cr)).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    await expect(read(chunked('a,b\n1,2\n3,"4\n5,6\n', 3))).rejects.toThrow(
      /f\.csv, row 2, column "b": unterminated quoted field/,
    );
    await expect(read(chunked('a,b\n1,2\n3,"4"x\n', 4))).rejects.toThrow(
      /f\.csv, row 2, column "b": unexpected text after a closing quote/,
    );
    await expect(read(Readable.from([Buffer.from('a,b\n1,2,3\n')]))).rejects.toThrow(
      /row 1, column "b": row 1 has 3 fields, the header has 2/,
    );
  });
});
