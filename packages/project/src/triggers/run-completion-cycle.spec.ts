import { StrataError } from '@strata/core';
import type { TriggerRecord } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { refuseRunCompletionCycle } from './run-completion-cycle.js';

/** A stored run-completion trigger that runs `pipeline` after `after`. */
const follows = (name: string, pipeline: string, after: string, paused = false): TriggerRecord => ({
  name,
  kind: 'run_completion',
  target: { module: `${pipeline}.ts`, pipeline, params: {} },
  condition: { kind: 'run_completion', pipeline: after, statuses: ['completed'] },
  overlap: 'skip',
  paused,
  firedBy: 'agent',
  cursor: null,
  createdAt: 0,
  updatedAt: 0,
});

const check = (pipeline: string, after: string, existing: TriggerRecord[]) => () =>
  refuseRunCompletionCycle(
    'new',
    pipeline,
    { kind: 'run_completion', pipeline: after, statuses: ['completed'] },
    existing,
  );

describe('refuseRunCompletionCycle', () => {
  it('refuses a pipeline that follows itself, naming --after, its value and a schedule as the fix', () => {
    let error: unknown;
    try {
      check('train', 'train', [])();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StrataError);
    expect((error as StrataError).message).toBe(
      'trigger new: --after train would start runs for ever (train ends -> this trigger runs train)',
    );
    expect(error).toMatchObject({ code: 'invalid_trigger', field: 'after', value: 'train' });
    expect((error as StrataError).fix).toContain('strata schedule create');
  });

  it('refuses closing a cycle through other triggers, paused ones included, and names them', () => {
    const existing = [
      follows('eval-after-train', 'evaluate', 'train'),
      follows('report', 'report', 'evaluate', true),
    ];
    expect(check('train', 'report', existing)).toThrow(
      'trigger new: --after report would start runs for ever (train ends -> trigger eval-after-train runs evaluate; ' +
        'evaluate ends -> trigger report runs report; report ends -> this trigger runs train)',
    );
    expect(check('train', 'report', existing)).toThrow(
      expect.objectContaining({ fix: expect.stringContaining('delete trigger eval-after-train') }),
    );
  });

  it('accepts chains and fan-out without a cycle, and ignores other kinds of trigger', () => {
    const other: TriggerRecord = {
      ...follows('sched', 'train', 'x'),
      kind: 'schedule',
      condition: { kind: 'schedule', every: '1m', timezone: 'UTC', jitterMs: 0, catchUp: 'one' },
    };
    const existing = [
      follows('eval-after-train', 'evaluate', 'train'),
      follows('deploy', 'deploy', 'train'),
      other,
    ];
    expect(check('report', 'evaluate', existing)).not.toThrow();
    expect(check('evaluate', 'prepare', existing)).not.toThrow();
    // A schedule that runs train is no run-completion edge: x after train closes no cycle.
    expect(check('x', 'train', existing)).not.toThrow();
  });
});
