import { StrataError } from '@strata/core';
import type { TriggerRecord } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { refuseUnknownUpstream } from './unknown-upstream.js';

/** A stored trigger that runs `pipeline` on new data. */
const runs = (pipeline: string): TriggerRecord => ({
  name: `${pipeline}-new-data`,
  kind: 'new_data',
  target: { module: `${pipeline}.ts`, pipeline, params: {} },
  condition: { kind: 'new_data', source: 'incoming', param: 'data', pollMs: 5000 },
  overlap: 'skip',
  paused: false,
  firedBy: 'agent',
  cursor: null,
  createdAt: 0,
  updatedAt: 0,
});

const refusal = (after: string, pipelines: string[], triggers: TriggerRecord[] = []): StrataError => {
  try {
    refuseUnknownUpstream(
      'evaluate-run-completion',
      { kind: 'run_completion', pipeline: after, statuses: ['completed'] },
      pipelines.map((name) => ({ name })),
      triggers,
    );
  } catch (error) {
    if (error instanceof StrataError) return error;
    throw error;
  }
  throw new Error(`--after ${after} was accepted`);
};

const accepts = (after: string, pipelines: string[], triggers: TriggerRecord[] = []) =>
  refuseUnknownUpstream(
    'x',
    { kind: 'run_completion', pipeline: after, statuses: ['completed'] },
    pipelines.map((name) => ({ name })),
    triggers,
  );

describe('refuseUnknownUpstream', () => {
  it('refuses a misspelled upstream, naming the value, the known pipelines and the closest one', () => {
    const error = refusal('trian', ['train', 'ingest']);
    expect(error.message).toBe(
      'trigger evaluate-run-completion: --after "trian" is not a pipeline this store has runs of or a trigger runs (known pipelines: ingest, train)',
    );
    expect(error).toMatchObject({ code: 'invalid_trigger', field: 'after', value: 'trian' });
    expect(error.fix).toMatch(/^did you mean --after train\? /);
    expect(error.fix).toContain('strata pipelines list');
  });

  it('says so when the store knows no pipeline, and how to make one known', () => {
    const error = refusal('train', []);
    expect(error.message).toContain('(the store knows no pipeline yet)');
    expect(error.fix).not.toContain('did you mean');
    expect(error.fix).toContain('run it once (strata run FILE) or create the trigger that runs it first');
  });

  it('accepts a pipeline with runs, and one a stored trigger runs (a chain set up before its first run)', () => {
    expect(() => accepts('train', ['train'])).not.toThrow();
    expect(() => accepts('train', [], [runs('train')])).not.toThrow();
    expect(refusal('train', ['ingest'], [runs('prepare')]).message).toContain(
      'known pipelines: ingest, prepare',
    );
  });

  it('cuts a long list of known pipelines short and points at strata pipelines list', () => {
    const many = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const error = refusal('zzz', many);
    expect(error.message).toContain('known pipelines: p00, p01');
    expect(error.message).toContain('p11, … (strata pipelines list)');
    expect(error.message).not.toContain('p12');
  });
});
