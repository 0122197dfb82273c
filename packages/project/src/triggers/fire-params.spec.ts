import { pipeline, step, t, z } from '@strata/core';
import type { TriggerCondition } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { firingParam, firingParams, placeholderParams, withFiringParamDeclared } from './fire-params.js';

const noop = step({ name: 'noop', outputs: { x: t.number() }, run: () => ({ x: 1 }) });
// A pipeline reads the fields of a data version it needs; the version carries six.
const train = pipeline({
  name: 'fire_params_train',
  params: z.object({
    data: z.object({ uri: z.string(), digest: z.string(), added: z.array(z.string()) }).optional(),
    trees: z.number().default(10),
  }),
  body: () => void noop(),
});
const onData = { kind: 'new_data', source: 'incoming', param: 'data' } as TriggerCondition;

describe('a firing parameter', () => {
  it('is cut to what the pipeline declares, so a data version compiles into a pipeline that reads part of it', () => {
    const version = {
      uri: 'incoming',
      digest: 'files:1',
      count: 1,
      added: ['a.csv'],
      changed: [],
      removed: [],
    };
    const params = withFiringParamDeclared(
      train,
      { trees: 3, ...firingParams(onData, version) },
      firingParam(onData),
    );
    expect(params).toEqual({ trees: 3, data: { uri: 'incoming', digest: 'files:1', added: ['a.csv'] } });
    expect(train.compile(params).snapshot.params).toMatchObject({ data: { added: ['a.csv'] } });
    // The same value given as typed is refused: the check is for what a user wrote.
    expect(() => train.compile({ data: version })).toThrow(/unknown parameter "data.count"/);
  });

  it('compiles at create time with the placeholder version', () => {
    const params = withFiringParamDeclared(train, placeholderParams(onData), firingParam(onData));
    expect(() => train.compile(params)).not.toThrow();
  });

  it('leaves the parameters the user stored with the trigger as typed', () => {
    const params = withFiringParamDeclared(train, { trees: 3, treez: 4 }, firingParam(onData));
    expect(params).toEqual({ trees: 3, treez: 4 });
    expect(firingParam({ kind: 'schedule' } as TriggerCondition)).toBeUndefined();
  });
});
