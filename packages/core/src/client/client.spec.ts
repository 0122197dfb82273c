import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FileRef, t } from '../artifact-type/artifact-type.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { Client } from './client.js';

const ingest = step({
  name: 'ingest',
  outputs: { rows: t.json<number[]>() },
  params: z.object({ n: z.number().int().default(4) }),
  run: (_i, { n }, ctx) => {
    ctx.logger.info(`ingesting ${n}`);
    return { rows: Array.from({ length: n }, (_, i) => i + 1) };
  },
});
const square = step({
  name: 'square',
  inputs: { x: t.number() },
  outputs: { y: t.number() },
  run: ({ x }, _p, ctx) => {
    ctx.logger.info(`squaring ${x}`);
    return { y: x * x };
  },
});
const trainer = step({
  name: 'trainer',
  inputs: { rows: t.json<number[]>(), squares: t.json<number[]>() },
  outputs: { model: t.json<{ weights: number[] }>(), report: t.file() },
  run: async ({ rows, squares }, _p, ctx) => {
    ctx.log({ loss: 0.25 });
    ctx.log({ format: 'weights-v1' }, { output: 'model' });
    const path = `${ctx.scratchDir}/report.txt`;
    await import('node:fs/promises').then((fs) => fs.writeFile(path, `rows=${rows.length}`));
    return { model: { weights: squares.map((s, i) => s - (rows[i] ?? 0)) }, report: { path } };
  },
});
const serve = step({
  name: 'serve',
  inputs: { model: t.json<{ weights: number[] }>() },
  outputs: { size: t.number() },
  run: ({ model }) => ({ size: model.weights.length }),
});
const train = pipeline({
  name: 'train',
  params: z.object({ n: z.number().int().default(4) }),
  body: ({ n }) => {
    const { rows } = ingest({}, { params: { n } });
    const { y } = square.map('x', { x: rows });
    const { model } = trainer({ rows, squares: y });
    serve({ model });
  },
});

let temp: MemoryStack;
let client: Client;
let firstId: string;
let secondId: string;
beforeAll(async () => {
  temp = await createMemoryStack();
  client = new Client(temp.stack);
  firstId = (await (await train.run({ stack: temp.stack })).wait()).id;
  secondId = (await (await train.run({ stack: temp.stack, params: { n: 3 } })).wait()).id;
});
afterAll(() => temp.cleanup());

describe('Client', () => {
  it('lists pipelines and their runs, newest first', async () => {
    expect(await client.pipelines()).toEqual([expect.objectContaining({ name: 'train', runCount: 2 })]);
    expect((await client.pipeline('train').runs()).map((r) => r.id)).toEqual([secondId, firstId]);
    expect((await client.pipeline('train').latestRun()).id).toBe(secondId);
    await expect(client.pipeline('nope').latestRun()).rejects.toThrow(/pipeline "nope" has no runs/);
    await expect(client.run('r-missing')).rejects.toThrow(/run r-missing does not exist/);
  });

  it('loads any past run output, and mapped outputs as lists', async () => {
    const latest = await client.pipeline('train').latestRun();
    expect(await latest.step('trainer').output('model').load()).toEqual({ weights: [0, 2, 6] });
    const first = await client.run(firstId);
    expect(first.status).toBe('completed');
    expect(await first.step('trainer').output('model').load()).toEqual({ weights: [0, 2, 6, 12] });
    expect(first.step('square').mapped).toBe(true);
    expect(await first.step('square').output('y').load()).toEqual([1, 4, 9, 16]);
    expect(first.step('square').instances()).toHaveLength(4);
    const report = await first.step('trainer').output('report').load<FileRef>();
    expect(await readFile(report.path, 'utf8')).toBe('rows=4');
    expect(
      first
        .steps()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['ingest', 'serve', 'square', 'trainer']);
    expect(() => first.step('nope')).toThrow(/has no step "nope"/);
    await expect(first.step('trainer').output('nope').load()).rejects.toThrow(/has no output "nope"/);
  });

  it("shows a step's logs, metadata and cache reason", async () => {
    const first = await client.run(firstId);
    expect((await first.step('ingest').logs()).map((l) => l.message)).toEqual(['ingesting 4']);
    expect((await first.step('square').logs()).map((l) => l.message)).toEqual([
      'squaring 1',
      'squaring 2',
      'squaring 3',
      'squaring 4',
    ]);
    expect(await first.step('trainer').metadata()).toEqual({ loss: 0.25 });
    const model = await first.step('trainer').output('model').artifact();
    expect(await model.metadata()).toEqual({ format: 'weights-v1' });
    expect(first.step('ingest').cacheReason).toBe('miss: first run of `ingest`');
    const second = await client.run(secondId);
    expect(second.step('ingest').cacheReason).toBe('miss: parameter `n` changed (4 -> 3)');
    expect(Object.keys(await first.step('trainer').outputs()).sort()).toEqual(['model', 'report']);
    expect(Object.keys(await first.step('trainer').inputs()).sort()).toEqual(['rows', 'squares']);
  });

  it('walks artifact lineage upstream to the inputs and downstream to the consumers', async () => {
    const first = await client.run(firstId);
    const model = await first.step('trainer').output('model').artifact();
    const lineage = await (await client.artifact(model.id)).lineage();
    expect(lineage.upstream.producer?.nodeId).toBe('trainer');
    const inputs = Object.fromEntries(lineage.upstream.inputs.map((i) => [`${i.name}`, i.node]));
    expect(inputs.rows?.producer?.nodeId).toBe('ingest');
    expect(inputs.rows?.inputs).toEqual([]);
    const squares = lineage.upstream.inputs.filter((i) => i.name === 'squares');
    expect(squares).toHaveLength(4);
    expect(squares[0]?.node.producer?.nodeId).toBe('square');
    expect(squares[0]?.node.producer?.mapIndex).toBe(0);
    expect(lineage.downstream.map((d) => [d.consumer.nodeId, d.input])).toEqual([['serve', 'model']]);
    expect(lineage.downstream[0]?.outputs.map((o) => o.name)).toEqual(['size']);

    const rows = await first.step('ingest').output('rows').artifact();
    const down = await rows.lineage({ depth: 1 });
    expect(down.upstream.inputs).toEqual([]);
    expect(down.downstream.map((d) => [d.consumer.nodeId, d.consumer.mapIndex]).sort()).toEqual([
      ['square', -1],
      ['trainer', -1],
    ]);
    for (const edge of down.downstream) for (const o of edge.outputs) expect(o.downstream).toEqual([]);
    await expect(client.artifact('a-missing')).rejects.toThrow(/artifact a-missing does not exist/);
  });

  it("reads the stack's model registry, whatever its flavor, and names a missing one", () => {
    expect(() => client.models()).toThrow(/this Client has no model registry/);
    const registry = { flavor: 'plugin-registry' };
    const withRegistry = new Client({ ...temp.stack, extras: new Map([['model_registry', registry]]) });
    expect(withRegistry.models()).toBe(registry);
  });
});
