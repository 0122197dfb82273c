import { createHash, randomUUID } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ArtifactStore, blobKey, readBlob, writeBlob } from '@strata/core/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Creates a store rooted at `prefix` inside the one bucket/container/directory under test. */
export type ArtifactStoreFactory = (prefix: string) => ArtifactStore | Promise<ArtifactStore>;

export interface ArtifactStoreContractOptions {
  /** Size of the streamed artifact (default 256 MiB). */
  readonly largeObjectBytes?: number;
  /** Allowed growth of this process's resident memory while it is written and read (default 150 MB). */
  readonly rssBudgetBytes?: number;
  /** Per-test timeout for the large artifact (default 10 minutes). */
  readonly largeObjectTimeoutMs?: number;
}

const MiB = 1024 * 1024;

/**
 * The behaviour every ArtifactStore flavor must have, as a vitest `describe` block: run it from a
 * spec file with a factory for your store. Each call gets fresh prefixes, so runs never collide.
 */
export function describeArtifactStoreContract(
  name: string,
  factory: ArtifactStoreFactory,
  options: ArtifactStoreContractOptions = {},
): void {
  const largeBytes = options.largeObjectBytes ?? 256 * MiB;
  const rssBudget = options.rssBudgetBytes ?? 150 * 1000 * 1000;
  describe(`ArtifactStore contract: ${name}`, () => {
    const run = `contract-${randomUUID().slice(0, 8)}`;
    let store: ArtifactStore;
    let sibling: ArtifactStore;

    beforeAll(async () => {
      store = await factory(`${run}/a`);
      sibling = await factory(`${run}/b`);
    });

    afterAll(async () => {
      for (const s of [store, sibling]) {
        if (!s) continue;
        for await (const info of s.list('')) await s.delete(info.key);
        await s.close?.();
      }
    });

    it('puts, gets, stats, lists and deletes an object', async () => {
      const bytes = Buffer.from('hello, artifact store\n');
      await store.put('basic/one.txt', Readable.from([bytes]), { size: bytes.length, sha256: sha(bytes) });
      expect(await readAll(await store.get('basic/one.txt'))).toEqual(bytes);
      const info = await store.stat('basic/one.txt');
      expect(info?.key).toBe('basic/one.txt');
      expect(info?.size).toBe(bytes.length);
      expect(await store.exists('basic/one.txt')).toBe(true);
      expect(await store.exists('basic/missing.txt')).toBe(false);
      expect(await store.stat('basic/missing.txt')).toBeUndefined();
      await store.put('basic/two.txt', Readable.from([Buffer.from('2')]));
      expect((await collect(store.list('basic/'))).map((o) => o.key).sort()).toEqual([
        'basic/one.txt',
        'basic/two.txt',
      ]);
      await store.delete('basic/one.txt');
      expect(await store.exists('basic/one.txt')).toBe(false);
      expect((await collect(store.list('basic/'))).map((o) => o.key)).toEqual(['basic/two.txt']);
      await store.delete('basic/never-existed.txt');
    });

    it('overwrites an object with a new put', async () => {
      await store.put('over/x', Readable.from([Buffer.from('first version')]));
      await store.put('over/x', Readable.from([Buffer.from('second')]));
      expect((await readAll(await store.get('over/x'))).toString()).toBe('second');
      expect((await store.stat('over/x'))?.size).toBe(6);
    });

    it('stores an empty object', async () => {
      await store.put('empty/zero', Readable.from([]), { size: 0 });
      expect((await store.stat('empty/zero'))?.size).toBe(0);
      expect((await readAll(await store.get('empty/zero'))).length).toBe(0);
    });

    it('fails clearly when getting a missing object', async () => {
      await expect(store.get('nowhere/missing.bin')).rejects.toThrow(/does not exist/);
    });

    it('keeps keys with unicode and special characters intact', async () => {
      const keys = [
        'unicode/日本語/データ.json',
        'unicode/émoji-🚀.bin',
        'unicode/space and+plus=eq&amp;%20.txt',
        'unicode/quote\'s "double" #hash ?q=1 [x]{y}~!@$^*(),;.txt',
      ];
      for (const [i, key] of keys.entries()) await store.put(key, Readable.from([Buffer.from(`v${i}`)]));
      for (const [i, key] of keys.entries()) {
        expect((await readAll(await store.get(key))).toString()).toBe(`v${i}`);
        expect(await store.exists(key)).toBe(true);
      }
      expect((await collect(store.list('unicode/'))).map((o) => o.key).sort()).toEqual([...keys].sort());
      expect(store.uri(keys[0]!)).toContain('データ.json');
    });

    it('isolates two stores with different prefixes on one bucket', async () => {
      await store.put('iso/same-key', Readable.from([Buffer.from('from a')]));
      await sibling.put('iso/same-key', Readable.from([Buffer.from('from b')]));
      expect((await readAll(await store.get('iso/same-key'))).toString()).toBe('from a');
      expect((await readAll(await sibling.get('iso/same-key'))).toString()).toBe('from b');
      await sibling.put('iso/only-b', Readable.from([Buffer.from('b')]));
      expect(await store.exists('iso/only-b')).toBe(false);
      expect((await collect(store.list('iso/'))).map((o) => o.key)).toEqual(['iso/same-key']);
      await sibling.delete('iso/same-key');
      expect(await store.exists('iso/same-key')).toBe(true);
      expect(store.identity).not.toBe(sibling.identity);
      expect(store.uri('iso/same-key')).not.toBe(sibling.uri('iso/same-key'));
    });

    it('lets concurrent writers store the same content-addressed blob', async () => {
      const payload = Buffer.alloc(3 * MiB + 17, `concurrent ${run}`);
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          writeBlob(store, async (sink) => {
            for (let i = 0; i < payload.length; i += 256 * 1024)
              await write(sink, payload.subarray(i, i + 256 * 1024));
          }),
        ),
      );
      const digest = sha(payload);
      for (const r of results) {
        expect(r.sha256).toBe(digest);
        expect(r.key).toBe(blobKey(digest));
        expect(r.size).toBe(payload.length);
      }
      expect((await collect(store.list('blobs/'))).filter((o) => o.key === blobKey(digest))).toHaveLength(1);
      const back = await readAll(await readBlob(store, blobKey(digest), digest));
      expect(back.equals(payload)).toBe(true);
      const stat = await store.stat(blobKey(digest));
      expect(stat?.size).toBe(payload.length);
      if (stat?.sha256 !== undefined) expect(stat.sha256).toBe(digest);
    });

    it('detects corrupted bytes on read (sha256 mismatch)', async () => {
      const good = Buffer.from('the real content');
      const key = blobKey(sha(good));
      await store.put(key, Readable.from([Buffer.from('tampered content')]));
      await expect(readAll(await readBlob(store, key, sha(good)))).rejects.toThrow();
      await store.delete(key);
    });

    it('never exposes an interrupted upload', async () => {
      for (const size of [64 * 1024, 40 * MiB]) {
        const key = `interrupted/${size}.bin`;
        const body = failingStream(size, new Error('client went away'));
        await expect(store.put(key, body)).rejects.toThrow();
        expect(await store.exists(key)).toBe(false);
        expect(await store.stat(key)).toBeUndefined();
        expect(await collect(store.list('interrupted/'))).toEqual([]);
      }
      // An earlier complete version survives a failed overwrite untouched.
      await store.put('interrupted/kept', Readable.from([Buffer.from('complete')]));
      await expect(
        store.put('interrupted/kept', failingStream(20 * MiB, new Error('dropped'))),
      ).rejects.toThrow();
      expect((await readAll(await store.get('interrupted/kept'))).toString()).toBe('complete');
    });

    it(
      `streams a ${Math.round(largeBytes / MiB)} MiB artifact both ways with bounded memory`,
      async () => {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        const before = process.memoryUsage().rss;
        let peak = before;
        const timer = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 20);
        try {
          const source = pseudoRandom(largeBytes);
          const written = await writeBlob(store, async (sink) => {
            await pipeline(source.stream, sink, { end: false });
          });
          expect(written.size).toBe(largeBytes);
          expect(written.sha256).toBe(source.digest());
          const hash = createHash('sha256');
          let read = 0;
          for await (const chunk of await readBlob(store, written.key, written.sha256)) {
            hash.update(chunk as Buffer);
            read += (chunk as Buffer).length;
          }
          expect(read).toBe(largeBytes);
          expect(hash.digest('hex')).toBe(written.sha256);
          peak = Math.max(peak, process.memoryUsage().rss);
          await store.delete(written.key);
        } finally {
          clearInterval(timer);
        }
        const growth = peak - before;
        console.log(
          `[contract ${name}] ${Math.round(largeBytes / MiB)} MiB round trip: peak RSS growth ${(growth / 1e6).toFixed(1)} MB`,
        );
        expect(growth).toBeLessThan(rssBudget);
      },
      options.largeObjectTimeoutMs ?? 600_000,
    );
  });
}

function sha(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function write(sink: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    sink.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

/** Emits `size` bytes in 1 MiB chunks, then fails instead of ending: a client that dies mid-upload. */
function failingStream(size: number, error: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) {
        this.destroy(error);
        return;
      }
      const n = Math.min(MiB, size - sent);
      sent += n;
      this.push(Buffer.alloc(n, sent % 251));
    },
  });
}

/** A deterministic, incompressible byte stream generated chunk by chunk (never held whole). */
export function pseudoRandom(size: number, seed = 1): { stream: Readable; digest(): string } {
  const hash = createHash('sha256');
  let produced = 0;
  let state = (seed * 2654435761) >>> 0 || 1;
  const stream = new Readable({
    read() {
      if (produced >= size) {
        this.push(null);
        return;
      }
      const n = Math.min(MiB, size - produced);
      const chunk = Buffer.alloc(n);
      const words = new Uint32Array(chunk.buffer, chunk.byteOffset, n >>> 2);
      for (let i = 0; i < words.length; i++) {
        // xorshift32: fast, deterministic, incompressible enough for storage tests
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        words[i] = state >>> 0;
      }
      produced += n;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}
