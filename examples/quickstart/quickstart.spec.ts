/**
 * The quickstart as an integration test: real data, real training, the local stack on SQLite.
 * Run twice: the second run is fully cached. Change one step: only it and its descendants re-run.
 * Change the data file: the step that reads it (a declared source) runs again.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, pipeline, source, step } from '@strata/core';
import { createTemporaryStack, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { evaluate, loadPenguins, penguinsFile, quickstart, split, train } from './pipeline.js';

let temp: TemporaryStack;
beforeAll(async () => {
  temp = await createTemporaryStack();
});
afterAll(() => temp.cleanup());

async function stepsOf(runId: string) {
  const run = await new Client(temp.stack).run(runId);
  return Object.fromEntries(run.steps().map((s) => [s.name, { status: s.status, reason: s.cacheReason }]));
}

describe('quickstart', () => {
  let firstId: string;

  it('trains a random forest on the penguins and reports its accuracy', async () => {
    const handle = await quickstart.run({ stack: temp.stack });
    const run = await handle.wait();
    expect(run.status, run.error ?? '').toBe('completed');
    firstId = run.id;
    const accuracy = await handle.output<number>('evaluate', 'accuracy');
    expect(accuracy).toBeGreaterThan(0.9);
    const rows = await handle.output<unknown[]>('load_penguins', 'rows');
    expect(rows).toHaveLength(342);
    expect(Object.values(await stepsOf(run.id)).map((s) => s.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
  });

  it('reuses every step on a second run, saying where each result came from', async () => {
    const run = await (await quickstart.run({ stack: temp.stack })).wait();
    const steps = await stepsOf(run.id);
    for (const [name, s] of Object.entries(steps)) {
      expect(s).toEqual({ status: 'cached', reason: `hit: run ${firstId} step ${name}` });
    }
    expect(Object.keys(steps).sort()).toEqual(['evaluate', 'load_penguins', 'split', 'train']);
  });

  it('re-runs only a changed step and its descendants', async () => {
    // A new version of `train` (a different seed): as if its code was edited and its version bumped.
    const trainV2 = step({
      ...train.spec,
      version: '2',
      run: (inputs, params, ctx) => train.spec.run(inputs, { ...params, seed: params.seed + 1 }, ctx),
    });
    const variant = pipeline({
      name: 'quickstart',
      params: z.object({ trees: z.number().int().min(1).default(25) }),
      body({ trees }) {
        const { rows } = loadPenguins({ data: source(penguinsFile) });
        const sets = split({ rows });
        const { model } = trainV2({ train: sets.train }, { params: { trees } });
        evaluate({ model, test: sets.test });
      },
    });
    const handle = await variant.run({ stack: temp.stack });
    const run = await handle.wait();
    expect(run.status).toBe('completed');
    expect(await stepsOf(run.id)).toEqual({
      load_penguins: { status: 'cached', reason: `hit: run ${firstId} step load_penguins` },
      split: { status: 'cached', reason: `hit: run ${firstId} step split` },
      train: { status: 'completed', reason: 'miss: `train` now has an explicit version (2)' },
      evaluate: { status: 'completed', reason: 'miss: input `model` content changed' },
    });
    expect(await handle.output<number>('evaluate', 'accuracy')).toBeGreaterThan(0.9);
  });

  it('re-runs a step whose parameter changed, naming the parameter', async () => {
    const run = await (await quickstart.run({ stack: temp.stack, params: { trees: 30 } })).wait();
    expect(run.status).toBe('completed');
    const steps = await stepsOf(run.id);
    expect(steps.train?.status).toBe('completed');
    // Compared with the newest earlier run of `train` (the variant above): both differences are named.
    expect(steps.train?.reason).toBe(
      'miss: `train` no longer has an explicit version (was 2); parameter `trees` changed (25 -> 30)',
    );
    expect(steps.split?.status).toBe('cached');
  });

  it('trains a small forest too (every row need not be out of bag in some tree)', async () => {
    for (const trees of [3, 10]) {
      const run = await (await quickstart.run({ stack: temp.stack, params: { trees } })).wait();
      expect(run.status, run.error ?? '').toBe('completed');
    }
  });

  it('re-runs the loading step when the data file changes, naming the source', async () => {
    // A copy in the project (the example's own file stays as it is), read as source('data/penguins.json').
    await mkdir(join(temp.root, 'data'));
    const file = join(temp.root, 'data', 'penguins.json');
    await copyFile(penguinsFile, file);
    const params = { data: 'data/penguins.json' };
    const copied = await (await quickstart.run({ stack: temp.stack, params })).wait();
    expect(copied.status).toBe('completed');
    expect((await stepsOf(copied.id)).split?.status).toBe('cached');

    // Same rows, new formatting: the file is a miss, its parsed rows are not, so `split` stays cached.
    const penguins = JSON.parse(await readFile(file, 'utf8')) as unknown[];
    await writeFile(file, JSON.stringify(penguins));
    const reformatted = await (await quickstart.run({ stack: temp.stack, params })).wait();
    let steps = await stepsOf(reformatted.id);
    expect(steps.load_penguins?.status).toBe('completed');
    expect(steps.load_penguins?.reason).toMatch(
      /^miss: source data\/penguins\.json changed \(sha256 \w+… -> \w+…\)$/,
    );
    expect(steps.split).toEqual({ status: 'cached', reason: `hit: run ${firstId} step split` });

    // One bird fewer: everything downstream of the data runs again.
    await writeFile(file, JSON.stringify(penguins.slice(1)));
    const handle = await quickstart.run({ stack: temp.stack, params });
    const fewer = await handle.wait();
    steps = await stepsOf(fewer.id);
    expect(Object.values(steps).map((s) => s.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    expect(steps.split?.reason).toBe('miss: input `rows` content changed');
    expect(await handle.output<unknown[]>('load_penguins', 'rows')).toHaveLength(341);
  });
});
