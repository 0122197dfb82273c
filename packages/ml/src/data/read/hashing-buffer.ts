import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { AsyncBuffer } from 'hyparquet';

/** A sha256 fed in order; `digest()` once at the end. */
export interface Hasher {
  /** `owned`: the caller will not touch `bytes` again (it may be handed to another thread as is). */
  update(bytes: Uint8Array, owned?: boolean): Promise<void> | void;
  digest(): Promise<string>;
  /** Frees the hasher when the read stops early (an error, or a consumer that stops iterating). */
  close(): void;
}

export function inlineHasher(): Hasher {
  const hash = createHash('sha256');
  return { update: (bytes) => void hash.update(bytes), digest: async () => hash.digest('hex'), close() {} };
}

/** Bytes handed to the hashing thread and not yet hashed, at most (then update() waits). */
const IN_FLIGHT = 128 << 20;

/**
 * A sha256 computed in a worker thread, so hashing a large Parquet file (~1.5 s per GiB) runs beside
 * the decoding instead of after it. Buffers the reader is done with are moved, others copied; at
 * most IN_FLIGHT bytes wait in the thread, so memory stays bounded when it falls behind.
 */
export function threadHasher(): Hasher {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const hash = require('node:crypto').createHash('sha256');
     parentPort.on('message', (m) => {
       if (m === 'digest') parentPort.postMessage({ digest: hash.digest('hex') });
       else { hash.update(m); parentPort.postMessage({ done: m.length }); }
     });`,
    { eval: true },
  );
  worker.unref();
  let pending = 0;
  let waiting: (() => void) | undefined;
  let finished: ((digest: string) => void) | undefined;
  let failed: Error | undefined;
  worker.on('message', (m: { done?: number; digest?: string }) => {
    if (m.done !== undefined) {
      pending -= m.done;
      if (pending <= IN_FLIGHT) waiting?.();
    } else if (m.digest !== undefined) finished?.(m.digest);
  });
  worker.on('error', (error) => {
    failed = error;
    waiting?.();
  });
  return {
    async update(bytes, owned) {
      if (failed) throw failed;
      // A buffer the reader is done with moves to the thread (no copy: a 1 GiB copy is ~1 s of page
      // faults); anything else is copied.
      const whole = owned && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const copy = whole ? bytes : bytes.slice();
      pending += copy.length;
      worker.postMessage(copy, [copy.buffer as ArrayBuffer]);
      if (pending > IN_FLIGHT) await new Promise<void>((resolve) => (waiting = resolve));
      waiting = undefined;
    },
    async digest() {
      if (failed) throw failed;
      const digest = await new Promise<string>((resolve, reject) => {
        finished = resolve;
        worker.once('error', reject);
        worker.postMessage('digest');
      });
      await worker.terminate();
      return digest;
    },
    close() {
      void worker.terminate();
    },
  };
}

/**
 * An AsyncBuffer that hashes the file front to back as a Parquet reader's ranged reads pass: row
 * groups are read in file order and lie end to end, so nearly every byte is hashed from a read the
 * reader made anyway; gaps (the magic bytes, the chunks of columns a projection skips) are read on
 * the way, and `finish()` reads what is left (the footer) and returns the file's size and digest. A read behind the hashed position (the
 * footer, read first) is not hashed twice.
 */
export function hashingBuffer(
  inner: AsyncBuffer,
  hasher: Hasher,
  options: { readonly handOver?: boolean } = {},
): AsyncBuffer & { finish(): Promise<{ bytes: number; sha256: string }>; close(): void } {
  let hashed = 0;
  /** Whether the row-group reads have begun (the footer, read first and far ahead, is behind us). */
  let reading = false;
  /** With handOver: the last read, hashed at the next read (the reader has decoded it by then). */
  let held: { start: number; end: number; bytes: ArrayBuffer } | undefined;
  const advance = async (start: number, end: number, bytes?: ArrayBuffer) => {
    if (end <= hashed || start > hashed) return;
    const whole = bytes !== undefined && start === hashed;
    const data = bytes
      ? new Uint8Array(bytes, hashed - start, end - hashed)
      : new Uint8Array(await inner.slice(hashed, end));
    hashed = end;
    await hasher.update(data, whole || bytes === undefined);
  };
  const release = async () => {
    if (!held) return;
    const { start, end, bytes } = held;
    held = undefined;
    await advance(start, end, bytes);
  };
  return {
    byteLength: inner.byteLength,
    async slice(start, end) {
      const stop = end ?? inner.byteLength;
      await release();
      // A small gap (the 4 magic bytes before the first row group) is read now; a large one is the
      // footer read first (left for finish()) or, once the row groups are being read, the chunks of
      // unselected columns: read now in 16 MiB pieces, so hashing keeps pace with the decoding.
      if (start >= hashed && start - hashed <= 1 << 20) reading = true;
      if (start > hashed && reading)
        while (hashed < start) await advance(hashed, Math.min(start, hashed + (16 << 20)));
      const bytes = await inner.slice(start, stop);
      // Held only when it is the next stretch to hash: the footer (read first) is never handed over,
      // since the metadata keeps views into it.
      if (options.handOver && start === hashed) held = { start, end: stop, bytes };
      else await advance(start, stop, bytes);
      return bytes;
    },
    async finish() {
      await release();
      // The rest in 16 MiB reads, so the tail of a file read out of order stays bounded in memory.
      while (hashed < inner.byteLength)
        await advance(hashed, Math.min(inner.byteLength, hashed + (16 << 20)));
      return { bytes: inner.byteLength, sha256: await hasher.digest() };
    },
    close: () => hasher.close(),
  };
}
