import type { Hash } from 'node:crypto';
import { read } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

const readFd = promisify(read);

/**
 * Feeds a file's bytes to `hash`; returns how many there were. Two reused 1 MiB buffers, the next read
 * in flight while one is hashed: no allocation (page faults, garbage collection) per chunk as a read
 * stream has. `signal` stops it between chunks (Ctrl-C while a large source file is fingerprinted
 * must not wait for the whole file), rejecting with the signal's reason.
 */
export async function hashFile(hash: Hash, path: string, signal?: AbortSignal): Promise<number> {
  const file = await open(path, 'r');
  const buffers = [Buffer.allocUnsafe(1 << 20), Buffer.allocUnsafe(1 << 20)] as const;
  let next = readFd(file.fd, buffers[0], 0, buffers[0].length, 0);
  try {
    let size = 0;
    let which = 0;
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return size;
      signal?.throwIfAborted();
      const current = buffers[which]!;
      which ^= 1;
      size += bytesRead;
      next = readFd(file.fd, buffers[which]!, 0, buffers[which]!.length, size);
      hash.update(bytesRead === current.length ? current : current.subarray(0, bytesRead));
    }
  } finally {
    // A read still in flight (after an abort) must end before its descriptor is closed.
    await next.catch(() => undefined);
    await file.close();
  }
}

/**
 * Reads a whole file into a new exact-size array, feeding `hash` as it goes: each piece is read
 * straight into its place in the array and hashed while the next one is read, so the file's size is
 * the only memory it takes. A file that changes size while it is read yields the bytes up to its size
 * at the start (the caller's digest check decides whether they are right).
 */
export async function readFileHashing(hash: Hash, path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const bytes = new Uint8Array(size);
    const piece = 1 << 20;
    const readAt = (at: number) => readFd(file.fd, bytes, at, Math.min(piece, size - at), at);
    let offset = 0;
    let next = size > 0 ? readAt(0) : undefined;
    while (next) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return bytes.subarray(0, offset);
      const start = offset;
      offset += bytesRead;
      next = offset < size ? readAt(offset) : undefined;
      hash.update(bytes.subarray(start, offset));
    }
    return bytes;
  } finally {
    await file.close();
  }
}
