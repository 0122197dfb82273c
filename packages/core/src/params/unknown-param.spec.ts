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
    expect(error.message).toBe(
      'pipeline "typos": unknown parameter "factr" (given: 3; did you mean "factor"?)',
    );
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
    expect(thrown(() => bad.compile()).message).toContain('(given: 3; did you mean "factor"?)');
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

  const model = z.object({ trees: z.number().default(5), depth: z.number().default(3) });
  const nested = pipeline({
    name: 'nested',
    params: z.object({ model: model.default({ trees: 5, depth: 3 }), layers: z.array(model).default([]) }),
    body: ({ model }) => {
      scale({}, { params: { factor: model.trees } });
    },
  });

  it('rejects a misspelt nested key (zod would strip it), naming the path, the value and the closest key', () => {
    const error = thrown(() => nested.compile({ model: { tres: 50 } } as never));
    expect(error.code).toBe('unknown_param');
    expect(error.message).toBe(
      'pipeline "nested": unknown parameter "model.tres" (given: 50; did you mean "model.trees"?)',
    );
    expect(error.field).toBe('params.model.tres');
    expect(error.value).toBe(50);
    expect(error.fix).toContain('rename "model.tres" to "model.trees"');
    // Inside an array of objects, and with nothing close: the keys of that object are listed.
    const deep = thrown(() => nested.compile({ layers: [{ trees: 1 }, { zzzzzz: 2 }] } as never));
    expect(deep.field).toBe('params.layers.1.zzzzzz');
    expect(deep.fix).toBe(
      'use one of the keys of "layers.1": trees, depth (in the pipeline params (--param, run config `params:`))',
    );
    expect(nested.compile({ model: { trees: 7 } }).snapshot.params).toEqual({
      model: { trees: 7, depth: 3 },
      layers: [],
    });
  });

  it('leaves extra keys to schemas that allow them (loose, catchall, record), still checking what they declare', () => {
    const open = pipeline({
      name: 'open',
      params: z.object({
        extra: z.object({ a: z.number().optional() }).loose().optional(),
        weights: z.record(z.string(), z.object({ w: z.number() })).optional(),
        any: z.object({}).catchall(z.number()).optional(),
      }),
      body: () => scale(),
    });
    expect(() => open.compile({ extra: { b: 1 }, weights: { x: { w: 1 } }, any: { q: 2 } })).not.toThrow();
    expect(thrown(() => open.compile({ weights: { x: { ww: 1 } } } as never)).message).toContain(
      'unknown parameter "weights.x.ww" (given: 1; did you mean "weights.x.w"?)',
    );
    // A strict object refuses through the same message.
    const strict = pipeline({
      name: 'strict',
      params: z.object({ o: z.object({ a: z.number() }).strict().optional() }),
      body: () => scale(),
    });
    expect(thrown(() => strict.compile({ o: { a: 1, b: 2 } } as never)).field).toBe('params.o.b');
  });

  it('rejects a misspelt nested step param from a run config', () => {
    const step2 = step({
      name: 'fit',
      params: z.object({ model: model.default({ trees: 5, depth: 3 }) }),
      outputs: { m: t.json<number>() },
      run: (_i, { model }) => ({ m: model.trees }),
    });
    const p2 = pipeline({ name: 'fits', body: () => void step2() });
    const error = thrown(() => p2.compile({}, { overrides: { fit: { params: { model: { detph: 2 } } } } }));
    expect(error.message).toContain('step "fit" of pipeline "fits": unknown parameter "model.detph"');
    expect(error.fix).toBe('rename "model.detph" to "model.depth" in the run config\'s steps.fit.params');
  });

  it('suggests only close names', () => {
    expect(didYouMean('factr', ['factor', 'label'])).toBe('factor');
    expect(didYouMean('lr', ['trees', 'depth'])).toBeUndefined();
    expect(didYouMean('detph', ['trees', 'depth'])).toBe('depth');
  });
});
