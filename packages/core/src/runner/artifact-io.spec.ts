import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey } from '../artifact-store/content-addressed.js';
import { canonicalJson } from '../hash/canonical-json.js';
import { MaterializerRegistry } from '../materializers/registry.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import {
  type ArtifactIO,
  loadArtifact,
  loadFromMemory,
  NOT_IN_MEMORY,
  saveArtifact,
  saveArtifactNow,
} from './artifact-io.js';
import { inlineMaxBytes, inlineUri, isInline } from './inline-artifact.js';
import { RecentBlobs } from './recent-blobs.js';
import { SpillingSink } from './spilling-sink.js';

let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack();
});
afterAll(() => temp.cleanup());

const io = (options: Partial<ArtifactIO> = {}): ArtifactIO => ({
  store: temp.stack.artifactStore,
  materializers: new MaterializerRegistry(),
  ...options,
});
const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('saveArtifact / loadArtifact', () => {
  it('loadFromMemory decodes an inline or recently written value at once, and verifies inline bytes', async () => {
    const value = { k: [1, 2] };
    const inline = await saveArtifact(io({ inlineMaxBytes: 4096 }), { kind: 'json' }, value, 'sr-m');
    expect(loadFromMemory(io(), inline)).toEqual(value);
    const stored = await saveArtifact(io({ inlineMaxBytes: 0 }), { kind: 'json' }, value, 'sr-m');
    expect(loadFromMemory(io(), stored)).toBe(NOT_IN_MEMORY);
    const recent = new RecentBlobs();
    const kept = await saveArtifact(io({ inlineMaxBytes: 0, recent }), { kind: 'json' }, value, 'sr-m');
    expect(loadFromMemory(io({ recent }), kept)).toEqual(value);
    const tampered = { ...inline, uri: inlineUri(Buffer.from('{"k":[1,3]}')) };
    expect(() => loadFromMemory(io(), tampered)).toThrow(/sha256|integrity/i);
    await expect(loadArtifact(io(), tampered)).rejects.toThrow(/sha256|integrity/i);
  });

  it('saveArtifactNow returns an inline row at once, and a promise of the row for a stored value', async () => {
    const value = { k: 1 };
    const now = saveArtifactNow(io({ inlineMaxBytes: 4096 }), { kind: 'json' }, value, 'sr-now');
    expect(now).not.toBeInstanceOf(Promise);
    const awaited = await saveArtifact(io({ inlineMaxBytes: 4096 }), { kind: 'json' }, value, 'sr-now');
    const { id: _a, createdAt: _b, ...same } = now as Awaited<typeof now>;
    const { id: _c, createdAt: _d, ...expected } = awaited;
    expect(same).toEqual(expected);
    const later = saveArtifactNow(io({ inlineMaxBytes: 0 }), { kind: 'json' }, value, 'sr-later');
    expect(later).toBeInstanceOf(Promise);
    expect(isInline(await later)).toBe(false);
    // A materializer error is thrown (saveArtifact rejects with it).
    expect(() => saveArtifactNow(io(), { kind: 'json', materializer: 'nope' }, value, 'sr-x')).toThrow(
      /nope/,
    );
    await expect(saveArtifact(io(), { kind: 'json', materializer: 'nope' }, value, 'sr-x')).rejects.toThrow(
      /nope/,
    );
  });

  it('keeps a small value in its row: no blob in the store, same content hash as a stored one', async () => {
    const value = { accuracy: 0.97, classes: ['Adelie', 'Gentoo'] };
    const inline = await saveArtifact(io({ inlineMaxBytes: 4096 }), { kind: 'json' }, value, 'sr-1');
    expect(isInline(inline)).toBe(true);
    expect(inline.storeKey).toBe('');
    expect(inline.sha256).toBe(sha(canonicalJson(value, { nonFinite: 'null' })));
    expect(await temp.stack.artifactStore.exists(blobKey(inline.sha256))).toBe(false);
    expect(await loadArtifact(io(), inline)).toEqual(value);

    const stored = await saveArtifact(io({ inlineMaxBytes: 0 }), { kind: 'json' }, value, 'sr-2');
    expect(isInline(stored)).toBe(false);
    expect(stored.sha256).toBe(inline.sha256);
    expect(await temp.stack.artifactStore.exists(stored.storeKey)).toBe(true);
  });

  it('stores a value past the inline limit with one put and remembers its bytes for the next load', async () => {
    const recent = new RecentBlobs();
    const value = 'x'.repeat(10_000);
    const artifact = await saveArtifact(
      io({ inlineMaxBytes: 4096, recent }),
      { kind: 'string' },
      value,
      'sr',
    );
    expect(isInline(artifact)).toBe(false);
    expect(artifact.size).toBe(10_000);
    expect(await temp.stack.artifactStore.exists(artifact.storeKey)).toBe(true);
    expect(recent.get(artifact.sha256)?.toString()).toBe(value);
  });

  it('streams a value larger than what is held in memory into the store, byte for byte', async () => {
    const value = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) % 251);
    const recent = new RecentBlobs();
    const artifact = await saveArtifact(io({ inlineMaxBytes: 4096, recent }), { kind: 'bytes' }, value, 'sr');
    expect(artifact.sha256).toBe(sha(Buffer.from(value)));
    expect(recent.size).toBe(0);
    const loaded = (await loadArtifact(io(), artifact)) as Uint8Array;
    expect(Buffer.from(loaded).equals(Buffer.from(value))).toBe(true);
  });

  it('keeps the bytes of an inline value it wrote, so the next step reads it without decoding its row', async () => {
    const recent = new RecentBlobs();
    const artifact = await saveArtifact(
      io({ inlineMaxBytes: 4096, recent }),
      { kind: 'json' },
      { n: 1 },
      'sr',
    );
    expect(isInline(artifact)).toBe(true);
    expect(recent.size).toBe(1);
    const loaded = (await loadArtifact(io({ recent }), artifact)) as { n: number };
    expect(loaded).toEqual({ n: 1 });
    // A fresh value each time: a step that changes its input changes nothing kept.
    loaded.n = 2;
    expect(await loadArtifact(io({ recent }), artifact)).toEqual({ n: 1 });
  });

  it('refuses an inline artifact whose bytes do not match its sha256', async () => {
    const artifact = await saveArtifact(io({ inlineMaxBytes: 4096 }), { kind: 'json' }, [1, 2, 3], 'sr');
    const tampered = { ...artifact, uri: inlineUri(Buffer.from('[1,2,4]')) };
    await expect(loadArtifact(io(), tampered)).rejects.toThrow(/corrupt: expected sha256/);
  });
});

describe('SpillingSink', () => {
  const keys = async () => {
    const found: string[] = [];
    for await (const info of temp.stack.artifactStore.list('')) found.push(info.key);
    return found.sort();
  };

  it('publishes nothing when the value fails after it spilled to the store', async () => {
    const sink = new SpillingSink(temp.stack.artifactStore, 4);
    sink.on('error', () => {}); // the destroy below reports it; the assertion is on `stored`
    const before = await keys();
    sink.write(Buffer.from('abcdef'));
    sink.write(Buffer.from('ghij'));
    const stored = sink.stored!;
    sink.destroy(new Error('materializer failed'));
    await expect(stored).rejects.toThrow(/not written to the end|materializer failed/);
    expect(await keys()).toEqual(before);
    expect(await temp.stack.artifactStore.exists(blobKey(sha('abcdefghij')))).toBe(false);
  });
});

describe('inlineMaxBytes', () => {
  it('defaults to 4096, takes 0 to disable, and names the variable, the value and the fix when wrong', () => {
    expect(inlineMaxBytes({})).toBe(4096);
    expect(inlineMaxBytes({ STRATA_INLINE_ARTIFACT_BYTES: '0' })).toBe(0);
    expect(() => inlineMaxBytes({ STRATA_INLINE_ARTIFACT_BYTES: '4k' })).toThrow(
      expect.objectContaining({
        field: 'STRATA_INLINE_ARTIFACT_BYTES',
        value: '4k',
        fix: expect.any(String),
      }),
    );
    expect(() => inlineMaxBytes({ STRATA_INLINE_ARTIFACT_BYTES: String(1 << 20) })).toThrow(
      /from 0 to 65536/,
    );
  });
});
