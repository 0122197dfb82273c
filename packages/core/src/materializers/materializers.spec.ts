import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { type Table, tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArtifactType, type FileRef, t } from '../artifact-type/artifact-type.js';
import { type ArtifactIO, loadArtifact, saveArtifact } from '../runner/artifact-io.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { MaterializerRegistry } from './registry.js';

let temp: MemoryStack;
let io: ArtifactIO;
let work: string;

beforeAll(async () => {
  temp = await createMemoryStack();
  io = { store: temp.stack.artifactStore, materializers: new MaterializerRegistry() };
  work = await mkdtemp(join(tmpdir(), 'strata-mat-'));
});
afterAll(async () => {
  await temp.cleanup();
  await rm(work, { recursive: true, force: true });
});

async function roundTrip<T>(type: ArtifactType<T>, value: T) {
  const artifact = await saveArtifact(io, type, value, 'test/step');
  const loaded = (await loadArtifact(io, artifact, await mkdtemp(join(work, 'load-')))) as T;
  return { artifact, loaded };
}

describe('built-in materializers', () => {
  it('stores JSON canonically: key order does not change the content hash', async () => {
    const a = await roundTrip(t.json(), { b: 1, a: [1, 'x', null, { z: true }] });
    const b = await roundTrip(t.json(), { a: [1, 'x', null, { z: true }], b: 1 });
    expect(a.loaded).toEqual({ a: [1, 'x', null, { z: true }], b: 1 });
    expect(a.artifact.sha256).toBe(b.artifact.sha256);
    expect(a.artifact.materializer).toBe('strata.json');
  });

  it('encodes JSON and text to exactly the bytes and summary that save streams, and decodes them back', async () => {
    const registry = new MaterializerRegistry();
    for (const [id, value] of [
      ['strata.json', { b: [1, 2.5, null], a: 'é', nested: { z: true } }],
      ['strata.string', 'naïve text ✓'],
    ] as const) {
      const m = registry.get(id);
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _e, callback) {
          chunks.push(Buffer.from(chunk));
          callback();
        },
      });
      const summary = await m.save(value, sink);
      const encoded = m.encode!(value);
      expect(encoded.bytes.equals(Buffer.concat(chunks))).toBe(true);
      expect(encoded.summary).toEqual(summary);
      expect(m.decode!(encoded.bytes)).toEqual(value);
    }
  });

  it('round-trips strings, numbers and booleans', async () => {
    expect((await roundTrip(t.string(), 'héllo\nworld')).loaded).toBe('héllo\nworld');
    expect((await roundTrip(t.number(), 0.125)).loaded).toBe(0.125);
    expect((await roundTrip(t.boolean(), false)).loaded).toBe(false);
    const text = await roundTrip(t.string(), 'plain');
    expect(text.artifact.materializer).toBe('strata.string');
    expect(text.artifact.size).toBe(5);
  });

  it('round-trips bytes and Buffers and records a hex preview', async () => {
    const { artifact, loaded } = await roundTrip(t.bytes(), Buffer.from([0, 1, 254, 255]));
    expect(loaded).toBeInstanceOf(Uint8Array);
    expect([...loaded]).toEqual([0, 1, 254, 255]);
    expect(artifact.summary).toMatchObject({ shape: [4], preview: '0001feff' });
  });

  it.each([
    new Float64Array([1.5, -2, Number.NaN]),
    new Float32Array([0.5, 3]),
    new Int32Array([-1, 2, 2 ** 31 - 1]),
    new Uint8Array([7]),
    new BigInt64Array([-3n, 9n]),
    new Int16Array(new Int16Array([1, 2, 3, 4]).buffer, 2, 2),
  ])('round-trips typed array %o with dtype and length', async (value) => {
    const { artifact, loaded } = await roundTrip(t.typedArray(), value as Float64Array);
    expect(loaded.constructor).toBe(value.constructor);
    expect(Array.from(loaded as ArrayLike<unknown>)).toEqual([...(value as unknown as Iterable<unknown>)]);
    expect(artifact.summary).toMatchObject({
      schema: { dtype: value.constructor.name },
      shape: [value.length],
    });
  });

  it('round-trips multi-chunk bytes and typed arrays through the store', async () => {
    const bytes = new Uint8Array(3 * (1 << 20) + 7).map((_, i) => i % 251);
    const back = await roundTrip(t.bytes(), bytes);
    expect(back.loaded).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(back.loaded).equals(Buffer.from(bytes))).toBe(true);
    const floats = new Float64Array(400_003).map((_, i) => i / 3);
    const array = await roundTrip(t.typedArray(), floats);
    expect(array.loaded).toBeInstanceOf(Float64Array);
    expect((array.loaded as Float64Array).length).toBe(floats.length);
    expect(Buffer.from((array.loaded as Float64Array).buffer).equals(Buffer.from(floats.buffer))).toBe(true);
  });

  it('loads a typed array whose header and body arrive split across chunks, and refuses a short body', async () => {
    const materializer = new MaterializerRegistry().get('strata.typed-array');
    const encoded = Buffer.concat([
      Buffer.from('{"dtype":"Int32Array","length":3}\n'),
      Buffer.from(new Int32Array([5, -6, 7]).buffer),
    ]);
    const pieces = [5, 30, 37, encoded.length].map((end, i, ends) => encoded.subarray(ends[i - 1] ?? 0, end));
    const loaded = await materializer.load(Readable.from(pieces), '');
    expect(loaded).toEqual(new Int32Array([5, -6, 7]));
    await expect(materializer.load(Readable.from([encoded.subarray(0, -1)]), '')).rejects.toThrow(
      /does not match its header/,
    );
  });

  it('round-trips Arrow tables with schema, shape and preview', async () => {
    const table = tableFromArrays({ id: Int32Array.from([1, 2, 3, 4]), name: ['a', 'b', 'c', 'd'] });
    const { artifact, loaded } = await roundTrip<Table>(t.table(), table);
    expect(loaded.numRows).toBe(4);
    expect(loaded.schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
    expect(loaded.getChild('name')?.toArray()).toEqual(['a', 'b', 'c', 'd']);
    expect(artifact.summary).toMatchObject({ shape: [4, 2] });
    expect((artifact.summary as { preview: string }).preview).toContain('"name":"a"');
    const again = await roundTrip<Table>(t.table(), table);
    expect(again.artifact.sha256).toBe(artifact.sha256);
  });

  it('round-trips an empty Arrow table', async () => {
    const empty = tableFromArrays({ x: new Float64Array(0) });
    const { loaded } = await roundTrip<Table>(t.table(), empty);
    expect(loaded.numRows).toBe(0);
    expect(loaded.schema.fields.map((f) => f.name)).toEqual(['x']);
  });

  it('streams a file into the store and back into the scratch directory', async () => {
    const path = join(work, 'model.bin');
    await writeFile(path, Buffer.alloc(100_000, 7));
    const { artifact, loaded } = await roundTrip<FileRef>(t.file(), { path });
    expect(artifact.size).toBe(100_000);
    expect(loaded.path).not.toBe(path);
    expect(await readFile(loaded.path)).toEqual(Buffer.alloc(100_000, 7));
  });

  it('packs directories deterministically: same tree, same hash, whatever the creation order', async () => {
    const makeTree = async (name: string, order: string[]) => {
      const root = join(work, name);
      await mkdir(join(root, 'sub', 'deep'), { recursive: true });
      for (const file of order) await writeFile(join(root, file), `content of ${file}`);
      return root;
    };
    const files = ['a.txt', 'sub/b.txt', 'sub/deep/c.txt'];
    const first = await roundTrip<FileRef>(t.directory(), { path: await makeTree('tree1', files) });
    await new Promise((r) => setTimeout(r, 20)); // different mtimes must not matter
    const second = await roundTrip<FileRef>(t.directory(), {
      path: await makeTree('tree2', [...files].reverse()),
    });
    expect(second.artifact.sha256).toBe(first.artifact.sha256);
    expect(await readFile(join(first.loaded.path, 'sub/deep/c.txt'), 'utf8')).toBe(
      'content of sub/deep/c.txt',
    );
    expect(first.artifact.summary).toMatchObject({ shape: [3] });
    await writeFile(join(work, 'tree2', 'a.txt'), 'changed');
    const third = await roundTrip<FileRef>(t.directory(), { path: join(work, 'tree2') });
    expect(third.artifact.sha256).not.toBe(first.artifact.sha256);
  });

  it('chooses a materializer from the value for `any` outputs, and honours an explicit override', async () => {
    const registry = new MaterializerRegistry();
    expect(registry.forValue(t.any(), 'text').id).toBe('strata.string');
    expect(registry.forValue(t.any(), new Uint8Array(1)).id).toBe('strata.bytes');
    expect(registry.forValue(t.any(), new Float32Array(1)).id).toBe('strata.typed-array');
    expect(registry.forValue(t.any(), { a: 1 }).id).toBe('strata.json');
    expect(registry.forValue(t.json('strata.string'), 'x').id).toBe('strata.string');
    expect(() => registry.get('acme.nope')).toThrow(/unknown materializer "acme.nope"/);
    expect(() => registry.forValue(t.any(), () => 1)).toThrow(/no materializer accepts/);
  });
});

describe('materializer registry', () => {
  it('chooses by declared kind, and a materializer registered later counts for the kinds asked before', () => {
    const registry = new MaterializerRegistry();
    expect(registry.idFor({ kind: 'number' })).toBe('strata.json');
    expect(registry.idFor({ kind: 'number' })).toBe('strata.json');
    const numbers = { ...registry.get('strata.json'), id: 'test.numbers', kinds: ['number' as const] };
    // Registered after the built-ins: the built-in JSON materializer still comes first for numbers.
    registry.register(numbers);
    expect(registry.idFor({ kind: 'number' })).toBe('strata.json');
    const only = new MaterializerRegistry([registry.get('strata.string')]);
    expect(only.idFor({ kind: 'number' })).toBeUndefined();
    only.register(numbers);
    expect(only.idFor({ kind: 'number' })).toBe('test.numbers');
  });
});
