import { pipeline, step, stepRunId, t } from '@strata/core';
import { cancelRun } from '@strata/core/plugin';
import { createTemporaryStack, type TemporaryStack, until } from '@strata/testing';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromRows } from '../data/table.js';
import { fitTransform, type TransformState } from '../features/transform.js';
import { mulberry32 } from '../models/gbdt/booster.js';
import { train } from './train.js';

/** 40k generated rows: enough for a fit that runs for minutes at 100k rounds. */
function generated(): { table: Table; transform: TransformState } {
  const random = mulberry32(9);
  const rows = Array.from({ length: 40_000 }, () => {
    const a = random();
    return { a, b: random(), y: a > 0.5 ? 'hi' : 'lo' };
  });
  const table = tableFromRows(rows);
  return { table, transform: fitTransform(table, { columns: { a: {}, b: {} } }, { label: 'y' }) };
}

const source = step({
  name: 'source',
  outputs: { table: t.table<Table>(), transform: t.json<TransformState>() },
  run: () => generated(),
});

const slow = (timeoutMs?: number) =>
  pipeline({
    name: timeoutMs ? 'train-timeout' : 'train-cancel',
    body: () => {
      const data = source();
      train(
        { train: data.table, transform: data.transform },
        {
          params: {
            adapter: 'gradient-boosting',
            task: 'classification',
            // No early stopping: the fit must still be running when the test stops it.
            hyperParameters: { nEstimators: 100_000, earlyStopping: false },
          },
          ...(timeoutMs ? { timeoutMs } : {}),
        },
      );
    },
  });

describe('train: a CPU-bound fit runs off the event loop', () => {
  let temporary: TemporaryStack;
  beforeAll(async () => {
    temporary = await createTemporaryStack();
  });
  afterAll(async () => {
    await temporary.cleanup();
  });

  it('shows the step running, and cancelling the run stops it promptly', async () => {
    const { stack } = temporary;
    const handle = await slow().run({ stack, noCache: true });
    const id = stepRunId(handle.id, 'train');
    const running = await until('the train step running', async () => {
      const row = await stack.database.getStepRun(id);
      return row?.status === 'running' ? row : undefined;
    });
    expect(running.status).toBe('running');
    await new Promise((r) => setTimeout(r, 500));
    const cancelledAt = Date.now();
    await cancelRun(stack, handle.id);
    const run = await handle.wait();
    expect(run.status).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    expect((await stack.database.getStepRun(id))?.status).toMatch(/cancelled|failed/);
  });

  it('fails the step when its timeout passes during the fit', async () => {
    const { stack } = temporary;
    const started = Date.now();
    const handle = await slow(1_500).run({ stack, noCache: true });
    const run = await handle.wait();
    expect(run.status).toBe('failed');
    const row = await stack.database.getStepRun(stepRunId(handle.id, 'train'));
    expect(row?.status).toBe('timed_out');
    expect(row?.error ?? '').toMatch(/time/i);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
