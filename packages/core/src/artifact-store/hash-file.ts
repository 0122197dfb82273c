import type { Hash } from 'node:crypto';
import { read } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';

const readFd = promisify(read);

/**
 * Feeds a file's bytes to `hash`; returns how many there were. Two reused 1 MiB buffers, the next read
 * in flight while one is hashed: no allocation (page faults, garbage collection) per chunk as a read
 * stream has.
 */
export async function hashFile(hash: Hash, path: string): Promise<number> {
  const file = await open(path, 'r');
  try {
    const buffers = [Buffer.allocUnsafe(1 << 20), Buffer.allocUnsafe(1 << 20)] as const;
    let size = 0;
    let which = 0;
    let next = readFd(file.fd, buffers[0], 0, buffers[0].length, 0);
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return size;
      const current = buffers[which]!;
      which ^= 1;
      size += bytesRead;
      next = readFd(file.fd, buffers[which]!, 0, buffers[which]!.length, size);
      hash.update(bytesRead === current.length ? current : current.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
}
