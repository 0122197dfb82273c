import { Writable } from 'node:stream';

/** Splits a byte stream into lines, hands each to `onLine`, and keeps the last `size` lines. */
export class LogTail extends Writable {
  private partial = '';
  private readonly lines: string[] = [];

  constructor(
    private readonly size: number,
    private readonly onLine?: (line: string) => void,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop()!;
    for (const line of parts) this.push(line);
    done();
  }

  private push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
    this.onLine?.(line);
  }

  /** The last lines, including an unterminated one. */
  tail(): string[] {
    if (this.partial) {
      this.push(this.partial);
      this.partial = '';
    }
    return [...this.lines];
  }
}
