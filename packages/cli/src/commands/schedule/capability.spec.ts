import { type PipelineSchedules, type Stack, StrataError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { scheduleId, schedulesOf } from './capability.js';

describe('schedules capability', () => {
  it('is whatever the orchestrator of the stack offers, bound to that stack', () => {
    const offered = { list: async () => [] } as unknown as PipelineSchedules;
    const seen: Stack[] = [];
    const stack = {
      name: 'cluster',
      orchestrator: {
        flavor: 'my-cron',
        schedules: (s: Stack) => {
          seen.push(s);
          return offered;
        },
      },
    } as unknown as Stack;
    expect(schedulesOf(stack)).toBe(offered);
    expect(seen).toEqual([stack]);
  });

  it('refuses a stack whose orchestrator cannot schedule, naming stack, flavor and fix', async () => {
    const stack = { name: 'laptop', orchestrator: { flavor: 'local' } } as unknown as Stack;
    const error = (() => {
      try {
        return schedulesOf(stack);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StrataError);
    expect((error as StrataError).code).toBe('no_schedules');
    expect((error as StrataError).message).toBe(
      'stack "laptop" cannot schedule pipelines: its orchestrator has flavor local, which has no schedules',
    );
    expect((error as StrataError).fix).toContain('e.g. flavor temporal');
  });

  it('maps names to prefixed schedule ids and rejects odd names', () => {
    expect(scheduleId('nightly')).toBe('strata-nightly');
    expect(scheduleId('strata-demo-prod')).toBe('strata-demo-prod');
    expect(() => scheduleId('two words')).toThrow(/schedule name "two words" is not valid/);
  });
});
