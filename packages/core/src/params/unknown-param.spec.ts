import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { t } from '../artifact-type/artifact-type.js';
import { CompileError } from '../errors/strata-error.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import { didYouMean } from './did-you-mean.js';
import { knownParams } from './known-params.js';

const scale = step({
  name: 'scale',
  outputs: { rows: t.json<number[]>() },
  params: z.object({ factor: z.number().default(2) }),
  run: (_i, { factor }) => ({ rows: [factor] }),
});
const p = pipeline({
  name: 'typos',
  params: z.object({ factor: z.number().default(10), label: z.string().default('x') }),
  body: ({ factor }) => {
    scale({}, { params: { factor } });
  },
});

function thrown(fn: () => unknown): CompileError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw error;
  }
  throw new Error('expected a CompileError');
}

describe('unknown params', () => {
  it('rejects a misspelled pipeline param (--param factr=3) with a did-you-mean', () => {
    const error = thrown(() => p.compile({ factr: 3 } as never));
    expect(error.code).toBe('unknown_param');
    expect(error.message).toBe('pipeline "typos": unknown parameter "factr" (did you mean "factor"?)');
    expect(error.field).toBe('params.factr');
    expect(error.value).toBe(3);
    expect(error.fix).toContain('rename "factr" to "factor"');
  });

  it('rejects a misspelled step param in a run config, naming the config key', () => {
    const error = thrown(() => p.compile({}, { overrides: { scale: { params: { factr: 3 } } } }));
    expect(error.message).toContain('step "scale" of pipeline "typos": unknown parameter "factr"');
    expect(error.fix).toContain("run config's steps.scale.params");
  });

  it('rejects a misspelled param at a step call in the body (library API)', () => {
    const bad = pipeline({ name: 'bad-call', body: () => scale({}, { params: { facter: 3 } as never }) });
    expect(thrown(() => bad.compile()).message).toContain('(did you mean "factor"?)');
  });

  it('lists the declared names when nothing is close, and says when none are declared', () => {
    expect(thrown(() => p.compile({ zzzzzz: 1 } as never)).fix).toBe(
      'use one of: factor, label (in the pipeline params (--param, run config `params:`))',
    );
    const plain = pipeline({ name: 'plain', body: () => scale() });
    expect(thrown(() => plain.compile({ factor: 1 } as never)).fix).toContain('declares no parameters');
  });

  it('still accepts declared params and loose schemas', () => {
    expect(p.compile({ factor: 3 }).snapshot.params).toEqual({ factor: 3, label: 'x' });
    expect(knownParams(z.object({ a: z.number() }).loose())).toBeUndefined();
    expect(knownParams(z.record(z.string(), z.number()))).toBeUndefined();
    expect([...(knownParams(z.object({ a: z.number() }).default({ a: 1 })) ?? [])]).toEqual(['a']);
  });

  it('suggests only close names', () => {
    expect(didYouMean('factr', ['factor', 'label'])).toBe('factor');
    expect(didYouMean('lr', ['trees', 'depth'])).toBeUndefined();
    expect(didYouMean('detph', ['trees', 'depth'])).toBe('depth');
  });
});
