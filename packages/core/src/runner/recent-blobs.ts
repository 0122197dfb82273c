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
    // Not iterated while within bounds: a Map's iterator walks past the slots of deleted entries (each
    // get moves its blob to the end), which at thousands of blobs made every add slow.
    if (this.#total <= this.maxTotalBytes && this.#blobs.size <= this.maxBlobs) return;
    for (const [key, old] of this.#blobs) {
      if (this.#total <= this.maxTotalBytes && this.#blobs.size <= this.maxBlobs) break;
      this.#blobs.delete(key);
      this.#total -= old.length;
    }
  }

  /** A private copy of the bytes (a loaded value may be a view on them and be changed by the step). */
  get(sha256: string): Buffer | undefined {
    const bytes = this.peek(sha256);
    return bytes === undefined ? undefined : Buffer.from(bytes);
  }

  /**
   * The kept bytes themselves, not a copy: only for a reader that keeps no view on them (a JSON or
   * text decode makes new values). Counts as a use, as get does.
   */
  peek(sha256: string): Buffer | undefined {
    const bytes = this.#blobs.get(sha256);
    if (!bytes) return undefined;
    this.#blobs.delete(sha256);
    this.#blobs.set(sha256, bytes);
    return bytes;
  }
}
