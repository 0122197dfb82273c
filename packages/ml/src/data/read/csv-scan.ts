/**
 * The byte level of the CSV reader: cuts a stream of UTF-8 bytes into records and fields without
 * creating a string per cell. A record is handed on as field bounds into the bytes (start, end and
 * how the field was quoted), so the column builders can parse numbers and copy text straight from
 * the buffer. Only complete records are handed on; the bytes of an incomplete one are carried to the
 * next chunk. RFC 4180: quoted fields with delimiters, line breaks and "" escapes; LF, CRLF or
 * (detected from the first chunk) CR line ends; a leading BOM; blank lines skipped.
 */

/** How a field was written: bare, quoted, or quoted with "" escapes inside (to unescape). */
export const PLAIN = 0;
export const QUOTED = 1;
export const ESCAPED = 2;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Receives each record: `bounds` holds start, end and flag per field (3 numbers each, `fields` of
 * them) into `bytes`. The arrays are reused: read them before returning.
 */
export type RecordSink = (bytes: Uint8Array, bounds: Int32Array, fields: number) => void;

/** A syntax problem at the record with this index (0 is the header), in its field with this index. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly record: number,
    readonly field: number,
    readonly kind: 'unterminated' | 'after-quote',
  ) {
    super(kind);
  }
}

export class CsvScanner {
  private carry: Uint8Array | undefined;
  private bounds = new Int32Array(3 * 64);
  private newline = -1;
  private started = false;
  /** Records handed on so far (the header included). */
  records = 0;

  constructor(
    private readonly delimiter: number,
    private readonly sink: RecordSink,
  ) {}

  /** Scans a chunk; records that end in it are handed on, the rest waits for the next chunk. */
  feed(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry, 0);
      bytes.set(chunk, this.carry.length);
      this.carry = undefined;
    }
    if (!this.started) {
      // Wait for enough bytes to see the BOM and the first line end.
      if (bytes.length < 4 && bytes.indexOf(LF) < 0) {
        this.carry = bytes;
        return;
      }
      this.start(bytes);
    }
    const rest = this.scan(bytes, 0, false);
    if (rest < bytes.length) this.carry = bytes.subarray(rest).slice();
  }

  /** The end of the input: the last record may lack its line end; an open quote is an error. */
  end(): void {
    const bytes = this.carry ?? new Uint8Array(0);
    this.carry = undefined;
    if (!this.started) this.start(bytes);
    this.scan(bytes, 0, true);
  }

  private start(bytes: Uint8Array): void {
    this.started = true;
    this.bomLength = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    // Old Mac files end lines with CR alone: taken when the first chunk has a CR and no LF at all.
    this.newline = bytes.indexOf(LF) < 0 && bytes.indexOf(CR) >= 0 ? CR : LF;
  }

  private bomLength = 0;

  /** Scans records from `from`; returns where the first incomplete record starts (or the end). */
  private scan(bytes: Uint8Array, from: number, final: boolean): number {
    const n = bytes.length;
    const delimiter = this.delimiter;
    const newline = this.newline;
    let i = from;
    if (this.bomLength > 0) {
      i += this.bomLength;
      this.bomLength = 0;
    }
    let bounds = this.bounds;
    while (i < n) {
      const rowStart = i;
      let fields = 0;
      let ended = false;
      while (!ended) {
        if (3 * fields + 6 > bounds.length) {
          const grown = new Int32Array(bounds.length * 2);
          grown.set(bounds);
          bounds = this.bounds = grown;
        }
        let start = i;
        let end: number;
        let flag = PLAIN;
        if (i < n && bytes[i] === QUOTE) {
          flag = QUOTED;
          start = i + 1;
          let q = start;
          for (;;) {
            q = bytes.indexOf(QUOTE, q);
            if (q < 0 || (q + 1 >= n && !final)) {
              if (final) throw new CsvSyntaxError(this.records, fields, 'unterminated');
              return rowStart;
            }
            if (bytes[q + 1] === QUOTE) {
              flag = ESCAPED;
              q += 2;
              continue;
            }
            break;
          }
          end = q;
          i = q + 1;
          if (i >= n) ended = true;
          else {
            const c = bytes[i]!;
            if (c === delimiter) i++;
            else if (c === newline) {
              i++;
              ended = true;
            } else if (c === CR && newline === LF) {
              if (i + 1 >= n && !final) return rowStart;
              if (i + 1 < n && bytes[i + 1] !== LF)
                throw new CsvSyntaxError(this.records, fields, 'after-quote');
              i += 2;
              ended = true;
            } else throw new CsvSyntaxError(this.records, fields, 'after-quote');
          }
          if (i >= n && !ended && !final) return rowStart;
        } else {
          let j = i;
          while (j < n) {
            const c = bytes[j]!;
            if (c === delimiter || c === newline) break;
            j++;
          }
          if (j >= n && !final) return rowStart;
          end = j;
          if (newline === LF && end > start && bytes[end - 1] === CR && (j >= n || bytes[j] === LF)) end--;
          if (j >= n || bytes[j] === newline) ended = true;
          i = j + 1;
          if (j >= n) i = n;
        }
        bounds[3 * fields] = start;
        bounds[3 * fields + 1] = end;
        bounds[3 * fields + 2] = flag;
        fields++;
        // A delimiter as the very last byte of the input opens one more (empty) field.
        if (!ended && i >= n && final) {
          bounds[3 * fields] = n;
          bounds[3 * fields + 1] = n;
          bounds[3 * fields + 2] = PLAIN;
          fields++;
          ended = true;
        }
      }
      // A blank line (nothing, or a lone CR before the LF) is skipped, not a record of one null.
      if (fields === 1 && bounds[2] === PLAIN && bounds[0] === bounds[1]) continue;
      this.sink(bytes, bounds, fields);
      this.records++;
      if (i === rowStart) break;
    }
    return n;
  }
}
