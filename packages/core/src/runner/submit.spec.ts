import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { t } from '../artifact-type/artifact-type.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { recordRunEnd } from './run-loop.js';
import { cancelRun } from './step-entry.js';
import { recordRun } from './submit.js';

let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack();
});
afterAll(() => temp.cleanup());

const one = step({ name: 'one', outputs: { n: t.number() }, run: () => ({ n: 1 }) });
const two = step({
  name: 'two',
  inputs: { n: t.number() },
  outputs: { m: t.number() },
  run: ({ n }) => ({ m: n + 1 }),
});
const flow = pipeline({
  name: 'record-only',
  body: () => {
    const { n } = one();
    two({ n });
  },
});

describe('recordRun', () => {
  it('refuses a bad STRATA_INLINE_ARTIFACT_BYTES before recording anything', async () => {
    const compiled = flow.compile({}, { projectRoot: temp.root });
    const before = (await temp.stack.database.listRuns()).length;
    vi.stubEnv('STRATA_INLINE_ARTIFACT_BYTES', 'abc');
    try {
      await expect(recordRun(compiled, { stack: temp.stack })).rejects.toMatchObject({
        code: 'invalid_env',
        field: 'STRATA_INLINE_ARTIFACT_BYTES',
      });
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await temp.stack.database.listRuns()).length).toBe(before);
  });

  it('records the snapshot, the run and a pending row per step without executing anything', async () => {
    const execute = vi.spyOn(temp.stack.orchestrator, 'execute');
    const compiled = flow.compile({}, { projectRoot: temp.root });
    const run = await recordRun(compiled, { stack: temp.stack });
    expect(execute).not.toHaveBeenCalled();
    const db = temp.stack.database;
    expect((await db.getRun(run.id))?.status).toBe('running');
    expect((await db.getSnapshot(compiled.snapshot.id))?.pipelineName).toBe('record-only');
    const rows = await db.listStepRuns(run.id);
    expect(rows.map((r) => [r.nodeId, r.status]).sort()).toEqual([
      ['one', 'pending'],
      ['two', 'pending'],
    ]);
  });
});

describe('recordRunEnd', () => {
  it('ends a run failed when a step row failed, naming the step, and cancelled when asked', async () => {
    const db = temp.stack.database;
    const failing = await recordRun(flow.compile({}, { projectRoot: temp.root }), { stack: temp.stack });
    const [row] = (await db.listStepRuns(failing.id)).filter((r) => r.nodeId === 'two');
    await db.updateStepRun(row!.id, { status: 'failed', error: 'boom' });
    expect(await recordRunEnd(db, failing.id, false)).toBe('failed');
    expect((await db.getRun(failing.id))?.error).toBe('step "two" failed: boom');

    const cancelled = await recordRun(flow.compile({}, { projectRoot: temp.root }), { stack: temp.stack });
    expect(await recordRunEnd(db, cancelled.id, true)).toBe('cancelled');
    expect((await db.getRun(cancelled.id))?.status).toBe('cancelled');
  });

  it('ends a run completed when the cancel came after every step had finished (Ctrl-C after the last step)', async () => {
    const db = temp.stack.database;
    const late = await recordRun(flow.compile({}, { projectRoot: temp.root }), { stack: temp.stack });
    for (const row of await db.listStepRuns(late.id)) await db.updateStepRun(row.id, { status: 'completed' });
    // The signal's cancelRun came first and marked the row; the run loop then ends it.
    await cancelRun(temp.stack, late.id);
    expect(await recordRunEnd(db, late.id, true)).toBe('completed');
    expect(await db.getRun(late.id)).toMatchObject({ status: 'completed', error: null });
    // A cancel after the run ended changes nothing.
    await cancelRun(temp.stack, late.id);
    expect((await db.getRun(late.id))?.status).toBe('completed');
  });
});
