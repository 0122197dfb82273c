/**
 * The step-component contract on the local orchestrator, in this process and with process isolation
 * (each step in a child process through the step-entry program): a step reaches the stack's model
 * registry through `ctx.component(ModelRegistry)`.
 */
import { createTemporaryStack, stepComponentPipeline, stepComponentResult } from '@strata/testing';
import { describe, expect, it } from 'vitest';

describe.each(['in-process', 'process'] as const)(
  'step components on the local orchestrator (%s)',
  (isolation) => {
    it('a step uses the stack model registry through its typed token', async () => {
      const temp = await createTemporaryStack({ isolation, modelRegistry: true });
      try {
        const run = await (await stepComponentPipeline.run({ stack: temp.stack })).wait();
        expect(run.status, run.error ?? '').toBe('completed');
        const result = await stepComponentResult(temp.stack, run.id);
        expect(result.registeredVersion).toBe(1);
        expect(result.output).toMatchObject({ version: 1, flavor: 'local' });
        // Where the step ran: this process, or a step process of its own.
        if (isolation === 'process') expect(result.output?.pid).not.toBe(process.pid);
        else expect(result.output?.pid).toBe(process.pid);
      } finally {
        await temp.cleanup();
      }
    }, 120_000);
  },
);
