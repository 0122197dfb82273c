import { appendFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { t } from '../artifact-type/artifact-type.js';
import { pipeline } from '../pipeline/pipeline.js';
import { cancelRun } from '../runner/step-entry.js';
import { step } from '../step/step.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { SourceFingerprints } from './fingerprint-sources.js';
import { source } from './source.js';

let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack();
  mkdirSync(join(temp.root, 'data', 'parts'), { recursive: true });
  writeFileSync(join(temp.root, 'data', 'train.csv'), 'x\n1\n2\n');
  writeFileSync(join(temp.root, 'data', 'parts', 'a.csv'), 'x\n1\n');
  writeFileSync(join(temp.root, 'data', 'parts', 'notes.txt'), 'ignored by the glob');
});
afterAll(() => temp.cleanup());

const countRows = step({
  name: 'count_rows',
  inputs: { data: t.file() },
  outputs: { rows: t.json<number[]>() },
  run: ({ data }) => ({
    rows: readFileSync(data.path, 'utf8').trim().split('\n').slice(1).map(Number),
  }),
});

const listParts = step({
  name: 'list_parts',
  inputs: { parts: t.source() },
  outputs: { files: t.json<string[]>() },
  run: ({ parts }) => ({ files: Object.keys(parts.fingerprint.entries ?? {}) }),
});

function flow(root: string) {
  return pipeline({
    name: 'sources-flow',
    body: () => {
      countRows({ data: source(join(root, 'data', 'train.csv')) });
      listParts({ parts: source(join(root, 'data', 'parts'), { glob: '*.csv' }) });
    },
  });
}

async function runOnce() {
  const handle = await flow(temp.root).run({ stack: temp.stack });
  const run = await handle.wait();
  expect(run.status).toBe('completed');
  const steps = await temp.stack.database.listStepRuns(run.id);
  const row = (node: string) => steps.find((s) => s.nodeId === node)!;
  return { run, count: row('count_rows'), parts: row('list_parts') };
}

describe('sources on the local stack', () => {
  it('is a hit while the data is unchanged, a miss naming the file when it changes', async () => {
    const first = await runOnce();
    expect(first.count.status).toBe('completed');
    const second = await runOnce();
    expect(second.count.status).toBe('cached');
    expect(second.parts.status).toBe('cached');

    appendFileSync(join(temp.root, 'data', 'train.csv'), '3\n');
    const third = await runOnce();
    expect(third.count.status).toBe('completed');
    expect(third.count.cacheReason).toMatch(
      new RegExp(
        `^miss: source ${join(temp.root, 'data', 'train.csv')} changed \\(sha256 [0-9a-f]{8}… -> [0-9a-f]{8}…\\)$`,
      ),
    );
    expect(third.parts.status).toBe('cached');
    const out = await temp.stack.database.stepRunEvents(third.count.id);
    const rows = out.find((e) => e.type === 'output')!;
    expect(rows.artifact.summary).toMatchObject({ preview: '[1,2,3]' });
  });

  it('a file added to a source directory (matching the glob) is a miss naming it; others are not', async () => {
    writeFileSync(join(temp.root, 'data', 'parts', 'other.txt'), 'not matched');
    expect((await runOnce()).parts.status).toBe('cached');
    writeFileSync(join(temp.root, 'data', 'parts', 'b.csv'), 'x\n2\n');
    const after = await runOnce();
    expect(after.parts.status).toBe('completed');
    expect(after.parts.cacheReason).toContain(': b.csv added');
  });

  it('follows symbolic links in a source directory: editing a linked file is a miss naming it', async () => {
    // A folder of links into a shared store (DVC's symlink cache): the links were skipped, so an edit
    // of the file behind one stayed a stale hit.
    const store = join(temp.root, 'store');
    mkdirSync(join(store, 'nested'), { recursive: true });
    writeFileSync(join(store, 'linked.csv'), 'x\n5\n');
    writeFileSync(join(store, 'nested', 'deep.csv'), 'x\n6\n');
    symlinkSync(join(store, 'linked.csv'), join(temp.root, 'data', 'parts', 'linked.csv'));
    symlinkSync(join(store, 'nested'), join(temp.root, 'data', 'parts', 'nested'));
    symlinkSync(join(temp.root, 'data', 'parts'), join(store, 'nested', 'loop'));
    symlinkSync(join(store, 'gone.csv'), join(temp.root, 'data', 'parts', 'dangling.csv'));
    const linked = await runOnce();
    expect(linked.parts.status).toBe('completed');
    const files = (await temp.stack.database.stepRunEvents(linked.parts.id)).find(
      (e) => e.type === 'output',
    )!;
    expect((files.artifact.summary as { preview: string }).preview).toContain('linked.csv');
    expect((await runOnce()).parts.status).toBe('cached');
    writeFileSync(join(store, 'linked.csv'), 'x\n7\n');
    const edited = await runOnce();
    expect(edited.parts.status).toBe('completed');
    expect(edited.parts.cacheReason).toContain(': linked.csv changed');
    // A linked folder is walked too (its link back to the source is not followed again).
    const all = await new SourceFingerprints({ projectRoot: temp.root }).fingerprint({
      uri: join(temp.root, 'data', 'parts'),
      glob: '**/*.csv',
    });
    expect(Object.keys(all.entries ?? {})).toEqual(['a.csv', 'b.csv', 'linked.csv', 'nested/deep.csv']);
  });

  it('records the data version in lineage as an input artifact of kind source', async () => {
    const { count } = await runOnce();
    const events = await temp.stack.database.stepRunEvents(count.id);
    const input = events.find((e) => e.type === 'input' && e.name === 'data')!;
    expect(input.artifact.kind).toBe('source');
    expect(input.artifact.uri).toBe(join(temp.root, 'data', 'train.csv'));
    expect(input.artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
    const lineage = await temp.stack.database.lineage(input.artifact.id);
    expect(lineage?.consumers.map((c) => c.stepRun.id)).toContain(count.id);
  });

  it('fails the step, naming the source, when the data is missing', async () => {
    const missing = pipeline({
      name: 'missing-source',
      body: () => {
        countRows({ data: source(join(temp.root, 'data', 'nope.csv')) });
      },
    });
    const run = await (await missing.run({ stack: temp.stack })).wait();
    expect(run.status).toBe('failed');
    const [row] = await temp.stack.database.listStepRuns(run.id);
    expect(row!.error).toContain('nope.csv does not exist');
  });

  it('a directory fed to a t.file() input (or a file to t.directory()) fails before the body, naming input, path and fix', async () => {
    let ran = 0;
    const readOne = step({
      name: 'read_one',
      inputs: { data: t.file() },
      outputs: { n: t.json<number>() },
      run: ({ data }) => {
        ran++;
        return { n: readFileSync(data.path).length };
      },
    });
    const readAll = step({
      name: 'read_all',
      inputs: { folder: t.directory() },
      outputs: { n: t.json<number>() },
      run: () => {
        ran++;
        return { n: 0 };
      },
    });
    const wrong = pipeline({
      name: 'wrong-kinds',
      body: () => {
        readOne({ data: source('data/parts') });
        readAll({ folder: source('data/train.csv') });
      },
    });
    const run = await (await wrong.run({ stack: temp.stack })).wait();
    expect(run.status).toBe('failed');
    expect(ran).toBe(0);
    const rows = await temp.stack.database.listStepRuns(run.id);
    const error = (node: string) => rows.find((r) => r.nodeId === node)!;
    expect(error('read_one').status).toBe('failed');
    expect(error('read_one').error).toMatch(/^input "data" is declared/);
    expect(error('read_one').error).toContain(
      `input "data" is declared t.file() but its source data/parts is a directory (${join(temp.root, 'data', 'parts')})`,
    );
    expect(error('read_one').error).toContain('declare the input t.directory()');
    expect(error('read_one').error).not.toContain('EISDIR');
    expect(error('read_all').error).toContain(
      'input "folder" is declared t.directory() but its source data/train.csv is not a directory',
    );
  });

  it('Ctrl-C while a source is fingerprinted: the body does not start, the step and the run are cancelled', async () => {
    let ran = 0;
    const size = step({
      name: 'size_only',
      inputs: { data: t.file() },
      outputs: { n: t.json<number>() },
      run: () => ({ n: ++ran }),
    });
    const flowOnce = pipeline({
      name: 'cancel-while-hashing',
      body: () => void size({ data: source('data/train.csv') }),
    });
    let runId!: (id: string) => void;
    const known = new Promise<string>((resolve) => {
      runId = resolve;
    });
    const real = SourceFingerprints.prototype.fingerprint;
    // The cancel lands while the source is hashed, and the hashing still finishes (as a hash of a file
    // the memo already knows, or an object store's listing, does): the step must not start after it.
    const spy = vi.spyOn(SourceFingerprints.prototype, 'fingerprint').mockImplementation(async function (
      this: SourceFingerprints,
      spec,
      signal,
    ) {
      await cancelRun(temp.stack, await known);
      while (!signal?.aborted) await new Promise((r) => setTimeout(r, 20));
      return real.call(this, spec);
    });
    try {
      const handle = await flowOnce.run({ stack: temp.stack, noCache: true });
      runId(handle.id);
      const run = await handle.wait();
      expect(run.status).toBe('cancelled');
      expect(ran).toBe(0);
      const [row] = await temp.stack.database.listStepRuns(run.id);
      expect(row).toMatchObject({ status: 'cancelled', error: 'Error: run cancelled' });
    } finally {
      spy.mockRestore();
    }
  });
});
