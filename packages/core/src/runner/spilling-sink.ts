import { Writable } from 'node:stream';
import type { ArtifactStore } from '../artifact-store/artifact-store.js';
import { type StoredBlob, writeBlob } from '../artifact-store/content-addressed.js';
import { writeChunk } from '../util/stream.js';

/**
 * Where a materializer writes a value whose size is not known in advance. The bytes stay in memory up
 * to `limit`, so a small value can be kept inline or served to later steps from memory; once they pass
 * it, what was held and everything after stream into `writeBlob`, so a large value is never held whole.
 */
export class SpillingSink extends Writable {
  #chunks: Buffer[] = [];
  #size = 0;
  #spill: Spill | undefined;

  constructor(
    private readonly store: ArtifactStore,
    private readonly limit: number,
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  /** Everything written, or undefined when it passed the limit and went to the store instead. */
  bytes(): Buffer | undefined {
    return this.#spill ? undefined : Buffer.concat(this.#chunks, this.#size);
  }

  /** The blob a spilled value was stored as; settles after the sink finished. */
  get stored(): Promise<StoredBlob> | undefined {
    return this.#spill?.blob;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    if (!this.#spill) {
      this.#size += chunk.length;
      if (this.#size <= this.limit) {
        // Copied: a bytes output may be a view on a buffer the step goes on using.
        this.#chunks.push(Buffer.from(chunk));
        callback();
        return;
      }
      this.#spill = spill(this.store);
      const held = this.#chunks;
      this.#chunks = [];
      this.#forward([...held, chunk]).then(() => callback(), callback);
      return;
    }
    this.#forward([chunk]).then(() => callback(), callback);
  }

  async #forward(chunks: Buffer[]): Promise<void> {
    const spill = this.#spill!;
    const sink = await spill.sink;
    for (const chunk of chunks) await Promise.race([writeChunk(sink, chunk), spill.failed]);
  }

  override _final(callback: (error?: Error | null) => void) {
    if (!this.#spill) return callback();
    this.#spill.end();
    this.#spill.blob.then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    this.#spill?.end(error ?? new Error('the value was not written to the end'));
    callback(error);
  }
}

interface Spill {
  /** writeBlob's sink, once writeBlob asked for the bytes. */
  readonly sink: Promise<Writable>;
  readonly blob: Promise<StoredBlob>;
  /** Rejects when writeBlob fails (never resolves), so a write waiting for `drain` cannot hang. */
  readonly failed: Promise<never>;
  /** Ends the bytes: writeBlob then publishes them, or discards them when `error` is given. */
  end(error?: Error): void;
}

function spill(store: ArtifactStore): Spill {
  let handOver!: (sink: Writable) => void;
  let refuse!: (error: unknown) => void;
  let settle: ((error?: Error) => void) | undefined;
  let pendingEnd: { error?: Error } | undefined;
  // Created first: writeBlob may ask for the bytes before it returns.
  const sink = new Promise<Writable>((resolve, reject) => {
    handOver = resolve;
    refuse = reject;
  });
  const blob = writeBlob(store, (target) => {
    handOver(target);
    return new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
      if (pendingEnd) settle(pendingEnd.error);
    });
  });
  blob.catch(refuse);
  const failed = blob.then(() => new Promise<never>(() => {}));
  // Observed by whoever awaits them; these keep an early failure from being an unhandled rejection
  // (`blob` itself is handled by the catch that refuses `sink`).
  failed.catch(() => {});
  sink.catch(() => {});
  return {
    sink,
    blob,
    failed,
    end(error) {
      if (settle) settle(error);
      else pendingEnd = error ? { error } : {};
    },
  };
}
