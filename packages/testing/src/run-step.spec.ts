import { step, t } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runStep, runStepDetailed, StepFailedError } from './run-step.js';

const scale = step({
  name: 'scale',
  inputs: { rows: t.json<number[]>(), label: t.string() },
  outputs: { scaled: t.json<number[]>(), title: t.string() },
  params: z.object({ factor: z.number().default(2) }),
  run: ({ rows, label }, { factor }, ctx) => {
    ctx.logger.info(`scaling ${rows.length} rows`);
    ctx.log({ rows: rows.length });
    return { scaled: rows.map((r) => r * factor), title: label.toUpperCase() };
  },
});

describe('runStep', () => {
  it('runs one step on an ephemeral stack and returns its materialized outputs', async () => {
    expect(await runStep(scale, { rows: [1, 2, 3], label: 'x' }, { factor: 10 })).toEqual({
      scaled: [10, 20, 30],
      title: 'X',
    });
    expect((await runStep(scale, { rows: [1], label: 'y' })).scaled).toEqual([2]);
  });

  it('returns the step run row, logs and metadata with runStepDetailed', async () => {
    const result = await runStepDetailed(scale, { rows: [4, 5], label: 'z' });
    expect(result.stepRun.status).toBe('completed');
    expect(result.logs.map((l) => l.message)).toEqual(['scaling 2 rows']);
    expect(result.metadata).toEqual({ rows: 2 });
  });

  it('round-trips binary inputs and outputs', async () => {
    const reverse = step({
      name: 'reverse',
      inputs: { data: t.bytes() },
      outputs: { data: t.bytes() },
      run: ({ data }) => ({ data: Uint8Array.from(data).reverse() }),
    });
    const { data } = await runStep(reverse, { data: new Uint8Array([1, 2, 3]) });
    expect([...data]).toEqual([3, 2, 1]);
  });

  it('throws StepFailedError with the step error', async () => {
    const broken = step({
      name: 'broken',
      outputs: { n: t.number() },
      run: () => {
        throw new RangeError('no data');
      },
    });
    const error = await runStep(broken, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as StepFailedError).stepRun.error).toBe('RangeError: no data');
    expect((error as StepFailedError).stepRun.errorStack).toContain('RangeError: no data');
  });

  it('rejects undeclared and missing inputs with the field name', async () => {
    await expect(runStep(scale, { rows: [1] } as never)).rejects.toThrow(/missing input "label"/);
    await expect(runStep(scale, { rows: [1], label: 'a', extra: 1 } as never)).rejects.toThrow(
      /has no input "extra"/,
    );
  });
});
