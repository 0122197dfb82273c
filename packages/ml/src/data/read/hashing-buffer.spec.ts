import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashingBuffer, inlineHasher, threadHasher } from './hashing-buffer.js';

/** An in-memory file that records the ranges read from it. */
function memoryFile(bytes: Uint8Array) {
  const reads: [number, number][] = [];
  return {
    reads,
    byteLength: bytes.length,
    slice: async (start: number, end?: number) => {
      const stop = end ?? bytes.length;
      reads.push([start, stop]);
      return bytes.slice(start, stop).buffer;
    },
  };
}

describe('hashingBuffer', () => {
  it('hashes the whole file when a projection skips large ranges, reading the gaps as it goes', async () => {
    const bytes = new Uint8Array(randomBytes(7 << 20));
    const expected = createHash('sha256').update(bytes).digest('hex');
    for (const [hasher, handOver] of [
      [inlineHasher, false],
      [threadHasher, true],
    ] as const) {
      const file = memoryFile(bytes);
      const buffer = hashingBuffer(file, hasher(), { handOver });
      // The footer first (far ahead: left for the end), then the selected chunks with gaps of
      // ~3 MiB between them (the unselected columns' chunks).
      await buffer.slice(bytes.length - 1000);
      await buffer.slice(4, 5000);
      await buffer.slice(3 << 20, (3 << 20) + 100);
      await buffer.slice(6 << 20, (6 << 20) + 100);
      // The gaps were read before the chunks after them, so hashing kept pace with the reads.
      expect(file.reads).toContainEqual([5000, 3 << 20]);
      expect(file.reads).toContainEqual([(3 << 20) + 100, 6 << 20]);
      expect(await buffer.finish()).toEqual({ bytes: bytes.length, sha256: expected });
    }
  });
});
