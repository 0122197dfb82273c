import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { t } from '../artifact-type/artifact-type.js';
import type { RunRecord } from '../metadata/records.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import type { StepContext } from '../step/step-context.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { stepRunId } from './ids.js';
import { inlineBytes, isInline } from './inline-artifact.js';
import { stepRunnerFactory } from './step-runner-factory.js';

let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack();
});
afterAll(() => temp.cleanup());

const seen: Partial<StepContext>[] = [];

const produce = step({
  name: 'produce',
  outputs: { rows: t.json<number[]>(), note: t.string() },
  params: z.object({ n: z.number().int().default(3) }),
  run: (_inputs, { n }, ctx) => {
    seen.push({ runId: ctx.runId, stepName: ctx.stepName, attempt: ctx.attempt, mapIndex: ctx.mapIndex });
    ctx.logger.info(`producing ${n} rows`);
    ctx.logger.warn('careful');
    ctx.log({ rows: n, source: 'synthetic' });
    ctx.log({ checksum: 'abc' }, { output: 'rows' });
    return { rows: Array.from({ length: n }, (_, i) => i), note: ctx.outputUri('rows') };
  },
});

const consume = step({
  name: 'consume',
  inputs: { rows: t.json<number[]>() },
  outputs: { total: t.number() },
  run: ({ rows }) => ({ total: rows.reduce((a, b) => a + b, 0) }),
});

const uncached = step({
  name: 'uncached',
  inputs: { total: t.number() },
  outputs: { echo: t.number() },
  cache: false,
  run: ({ total }) => ({ echo: total }),
});

const flow = pipeline({
  name: 'step-runner-flow',
  params: z.object({ n: z.number().int().default(3) }),
  body: ({ n }) => {
    const { rows } = produce({}, { params: { n } });
    const { total } = consume({ rows });
    uncached({ total });
  },
});

/** The temporary stack with its database and artifact store counting calls of a few methods. */
function countingStack() {
  const calls = { stepRunEvents: 0, previousStepRun: 0, previousRunSteps: 0, get: 0 };
  const counting = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (property in calls) calls[property as keyof typeof calls]++;
          return value.apply(object, args);
        };
      },
    });
  const database = counting(temp.stack.database);
  const artifactStore = counting(temp.stack.artifactStore);
  // The stack's runner factory resolves the counted database and store, as a stack's container would.
  const stepRunner = stepRunnerFactory({
    database,
    artifactStore,
    materializers: temp.stack.materializers,
    components: temp.stack.extras,
    sources: temp.stack.sources,
  });
  const stack = new Proxy(temp.stack, {
    get: (target, property) =>
      property === 'database'
        ? database
        : property === 'artifactStore'
          ? artifactStore
          : property === 'stepRunner'
            ? stepRunner
            : Reflect.get(target, property),
  });
  return { stack, calls };
}

async function run(params: { n?: number } = {}, options: { noCache?: boolean } = {}): Promise<RunRecord> {
  const handle = await flow.run({ stack: temp.stack, params, ...options });
  return handle.wait();
}

describe('StepRunner', () => {
  let first: RunRecord;

  it('runs steps, materializes outputs and records the cache reason of a first run', async () => {
    first = await run();
    expect(first.status).toBe('completed');
    const rows = await temp.stack.database.listStepRuns(first.id);
    const byNode = Object.fromEntries(rows.map((r) => [r.nodeId, [r.status, r.cacheReason, r.attempt]]));
    expect(byNode).toEqual({
      produce: ['completed', 'miss: first run of `produce`', 1],
      consume: ['completed', 'miss: first run of `consume`', 1],
      uncached: ['completed', 'miss: caching disabled for this step', 1],
    });
    expect(seen.at(-1)).toEqual({ runId: first.id, stepName: 'produce', attempt: 1, mapIndex: -1 });
  });

  it('records lineage events: outputs of the producer are the inputs of the consumer', async () => {
    const db = temp.stack.database;
    const produced = await db.stepRunEvents(stepRunId(first.id, 'produce'));
    const consumed = await db.stepRunEvents(stepRunId(first.id, 'consume'));
    const rowsOut = produced.find((e) => e.type === 'output' && e.name === 'rows')!;
    expect(produced.filter((e) => e.type === 'input')).toEqual([]);
    expect(consumed.find((e) => e.type === 'input')).toMatchObject({
      name: 'rows',
      artifactId: rowsOut.artifactId,
    });
    expect(rowsOut.artifact).toMatchObject({
      kind: 'json',
      materializer: 'strata.json',
      producerStepRunId: stepRunId(first.id, 'produce'),
      summary: { shape: [3] },
    });
    // Three numbers are kept in the row, with the bytes they hash to.
    expect(isInline(rowsOut.artifact)).toBe(true);
    expect(inlineBytes(rowsOut.artifact).toString()).toBe('[0,1,2]');
  });

  it('stores log lines and metadata with the step run and its outputs', async () => {
    const db = temp.stack.database;
    const id = stepRunId(first.id, 'produce');
    const logs = await db.readLogs({ stepRunId: id });
    expect(logs.map((l) => [l.level, l.message])).toEqual([
      ['info', 'producing 3 rows'],
      ['warn', 'careful'],
    ]);
    expect(await db.getMetadata('step_run', id)).toEqual({ rows: 3, source: 'synthetic' });
    const rowsOut = (await db.stepRunEvents(id)).find((e) => e.name === 'rows')!;
    expect(await db.getMetadata('artifact', rowsOut.artifactId)).toEqual({ checksum: 'abc' });
  });

  it('gives outputs a logical URI before they are written', async () => {
    const handle = await flow.run({ stack: temp.stack, params: { n: 1 }, noCache: true });
    await handle.wait();
    expect(await handle.output('produce', 'note')).toBe(`strata://runs/${handle.id}/produce/rows`);
    expect(await handle.output('consume', 'total')).toBe(0);
  });

  it('reuses unchanged steps with a hit reason and explains each miss', async () => {
    const again = await run();
    const rows = await temp.stack.database.listStepRuns(again.id);
    const produce = rows.find((r) => r.nodeId === 'produce')!;
    expect(produce.status).toBe('cached');
    expect(produce.cacheReason).toBe(`hit: run ${first.id} step produce`);
    expect(produce.cachedFrom).toBe(stepRunId(first.id, 'produce'));
    expect(rows.find((r) => r.nodeId === 'uncached')?.status).toBe('completed');
    // Cached outputs are the very same artifacts.
    const db = temp.stack.database;
    const a = (await db.stepRunEvents(stepRunId(first.id, 'produce'))).map((e) => e.artifactId).sort();
    const b = (await db.stepRunEvents(produce.id)).map((e) => e.artifactId).sort();
    expect(b).toEqual(a);

    const changed = await run({ n: 4 });
    const reasons = Object.fromEntries(
      (await db.listStepRuns(changed.id)).map((r) => [r.nodeId, r.cacheReason]),
    );
    expect(reasons.produce).toBe('miss: parameter `n` changed (3 -> 4)');
    expect(reasons.consume).toBe('miss: input `rows` content changed');
  });

  it('takes inputs from the steps it just ran, and a --no-cache run looks up no previous run', async () => {
    const { stack, calls } = countingStack();
    const record = await (await flow.run({ stack, params: { n: 5 }, noCache: true })).wait();
    expect(record.status).toBe('completed');
    // consume and uncached read their inputs from what produce and consume just wrote: no event
    // query, and their bytes from memory, not from the store.
    expect(calls).toEqual({ stepRunEvents: 0, previousStepRun: 0, previousRunSteps: 0, get: 0 });
    const events = await temp.stack.database.stepRunEvents(stepRunId(record.id, 'consume'));
    expect(events.filter((e) => e.type === 'input').map((e) => e.artifact.producerStepRunId)).toEqual([
      stepRunId(record.id, 'produce'),
    ]);
  });

  it('explains the misses of a run with one look-up of the previous run', async () => {
    const { stack, calls } = countingStack();
    const record = await (await flow.run({ stack, params: { n: 6 } })).wait();
    const reasons = Object.fromEntries(
      (await temp.stack.database.listStepRuns(record.id)).map((r) => [r.nodeId, r.cacheReason]),
    );
    expect(reasons.produce).toMatch(/^miss: parameter `n` changed \(\d -> 6\)$/);
    expect(reasons.consume).toBe('miss: input `rows` content changed');
    expect(calls).toMatchObject({ previousRunSteps: 1, previousStepRun: 0 });
  });

  it('ignores the cache for a --no-cache run', async () => {
    const fresh = await run({}, { noCache: true });
    const row = (await temp.stack.database.listStepRuns(fresh.id)).find((r) => r.nodeId === 'produce')!;
    expect(row.status).toBe('completed');
    expect(row.cacheReason).toBe('miss: caching disabled for this run (--no-cache)');
  });

  it('does not reuse a result older than the TTL', async () => {
    const stamp = step({
      name: 'stamp',
      outputs: { v: t.number() },
      cache: { ttlSeconds: 0.001 },
      run: () => ({ v: 1 }),
    });
    const p = pipeline({ name: 'ttl', body: () => void stamp() });
    await (await p.run({ stack: temp.stack })).wait();
    await new Promise((r) => setTimeout(r, 20));
    const second = await (await p.run({ stack: temp.stack })).wait();
    const row = (await temp.stack.database.listStepRuns(second.id))[0]!;
    expect(row.status).toBe('completed');
    expect(row.cacheReason).toBe('miss: no reusable result (previous run failed, expired or was not cached)');
  });

  it('runs a step again whose cached output bytes are gone, and says so', async () => {
    const big = step({
      name: 'big',
      outputs: { blob: t.bytes(), n: t.number() },
      run: () => ({ blob: new Uint8Array(8192).fill(9), n: 2 }),
    });
    const p = pipeline({ name: 'gone', body: () => void big() });
    const first = await (await p.run({ stack: temp.stack })).wait();
    const [blob] = (await temp.stack.database.stepRunEvents(`${first.id}/big`)).filter(
      (e) => e.name === 'blob',
    );
    expect(isInline(blob!.artifact)).toBe(false);
    await temp.stack.artifactStore.delete(blob!.artifact.storeKey);
    const second = await (await p.run({ stack: temp.stack })).wait();
    const row = (await temp.stack.database.listStepRuns(second.id))[0]!;
    expect(row.status).toBe('completed');
    expect(row.cacheReason).toBe(
      `miss: run ${first.id} step big made this result, but its output "blob" (${blob!.artifact.uri}) is gone from the artifact store`,
    );
    // The run put the bytes back: the next run is a hit again.
    const third = await (await p.run({ stack: temp.stack })).wait();
    expect((await temp.stack.database.listStepRuns(third.id))[0]!.status).toBe('cached');
  });

  it('fails a step whose result lacks a declared output', async () => {
    const bad = step({
      name: 'bad',
      outputs: { a: t.number(), b: t.number() },
      run: () => ({ a: 1 }) as never,
    });
    const p = pipeline({ name: 'bad-outputs', body: () => void bad() });
    const result = await (await p.run({ stack: temp.stack })).wait();
    expect(result.status).toBe('failed');
    const row = (await temp.stack.database.listStepRuns(result.id))[0]!;
    // The fix is recorded after the message: the run's failure line is often all a user reads.
    expect(row.error).toBe(
      'step "bad" returned no value for output "b"; fix: return a number value for "b" from run()',
    );
    expect(result.error).toContain('step "bad" failed');
  });
});
