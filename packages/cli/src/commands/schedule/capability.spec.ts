import { type Stack, StrataError } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { scheduleId, schedulesOf, schedulingFlavors } from './capability.js';

describe('schedules capability', () => {
  it('is offered by the temporal flavor only, today', () => {
    expect(schedulingFlavors).toEqual(['temporal']);
  });

  it('refuses a stack whose orchestrator cannot schedule, naming stack, flavor and fix', async () => {
    const stack = { name: 'laptop', orchestrator: { flavor: 'local' } } as unknown as Stack;
    const error = await schedulesOf(stack).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StrataError);
    expect((error as StrataError).code).toBe('no_schedules');
    expect((error as StrataError).message).toBe(
      'stack "laptop" cannot schedule pipelines: its orchestrator has flavor local, which has no schedules',
    );
    expect((error as StrataError).fix).toContain('flavor temporal');
  });

  it('maps names to prefixed schedule ids and rejects odd names', () => {
    expect(scheduleId('nightly')).toBe('strata-nightly');
    expect(scheduleId('strata-demo-prod')).toBe('strata-demo-prod');
    expect(() => scheduleId('two words')).toThrow(/schedule name "two words" is not valid/);
  });
});
