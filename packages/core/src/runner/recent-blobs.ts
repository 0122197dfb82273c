import { Writable } from 'node:stream';

/**
 * The bytes of small blobs this process just wrote, by sha256, so the next step of an in-process run
 * reads its input from memory instead of reopening the file (or object) it was just written to. Blobs
 * are content-addressed: bytes kept under a digest are exactly the bytes stored under it. Bounded by
 * the size of one blob, the total and the count; the least recently used go first.
 */
export class RecentBlobs {
  readonly #blobs = new Map<string, Buffer>();
  #total = 0;

  constructor(
    readonly maxBlobBytes = 256 * 1024,
    readonly maxTotalBytes = 16 * 1024 * 1024,
    readonly maxBlobs = 10_000,
  ) {}

  get size(): number {
    return this.#blobs.size;
  }

  add(sha256: string, bytes: Buffer): void {
    if (bytes.length > this.maxBlobBytes || this.#blobs.has(sha256)) return;
    this.#blobs.set(sha256, bytes);
    this.#total += bytes.length;
    for (const [key, old] of this.#blobs) {
      if (this.#total <= this.maxTotalBytes && this.#blobs.size <= this.maxBlobs) break;
      this.#blobs.delete(key);
      this.#total -= old.length;
    }
  }

  /** A private copy of the bytes (a loaded value may be a view on them and be changed by the step). */
  get(sha256: string): Buffer | undefined {
    const bytes = this.#blobs.get(sha256);
    if (!bytes) return undefined;
    this.#blobs.delete(sha256);
    this.#blobs.set(sha256, bytes);
    return Buffer.from(bytes);
  }
}

/**
 * Passes every chunk on to `sink` (honouring its backpressure) and keeps a copy while the total stays
 * within `limit`; `bytes()` is the copy, or undefined once the value grew past the limit.
 */
export class CopyingSink extends Writable {
  #chunks: Buffer[] | undefined = [];
  #size = 0;

  constructor(
    private readonly sink: Writable,
    private readonly limit: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    if (this.#chunks) {
      this.#size += chunk.length;
      // Copied now: a bytes output may be a view on a buffer the step goes on using.
      if (this.#size <= this.limit) this.#chunks.push(Buffer.from(chunk));
      else this.#chunks = undefined;
    }
    if (this.sink.write(chunk)) {
      callback();
      return;
    }
    const onDrain = () => {
      this.sink.off('error', onError);
      callback();
    };
    const onError = (error: Error) => {
      this.sink.off('drain', onDrain);
      callback(error);
    };
    this.sink.once('drain', onDrain);
    this.sink.once('error', onError);
  }

  bytes(): Buffer | undefined {
    return this.#chunks && Buffer.concat(this.#chunks);
  }
}
