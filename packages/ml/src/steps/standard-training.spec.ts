import { pipeline } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { standardTraining, standardTrainingOutputs } from './standard-training.js';

const base = {
  modelName: 'm',
  label: 'y',
  features: ['a', 'b'],
  task: 'regression',
  defaults: { dataPath: '/data/rows.json', minImprovement: 0.5 },
  sliceColumns: ['a'],
  gate: { metric: 'rmse', higherIsBetter: false, sliceTolerance: 1 },
} as const;

const nodesOf = (definition: ReturnType<typeof pipeline>, params = {}) =>
  Object.fromEntries(definition.compile(params).snapshot.nodes.map((n) => [n.id, n]));

describe('standardTraining', () => {
  it('wires the nine standard steps, training only after validation', () => {
    const definition = pipeline({ name: 'std', ...standardTraining(base) });
    const snapshot = definition.compile().snapshot;
    expect(snapshot.nodes.map((n) => n.id).sort()).toEqual(
      ['ingest', 'statistics', 'schema', 'transform', 'validate', 'train', 'evaluate', 'gate', 'push'].sort(),
    );
    const nodes = nodesOf(definition);
    expect(nodes.train!.after).toEqual(['validate']);
    expect(nodes.validate!.inputs).toMatchObject({
      data: { node: 'ingest', output: 'eval' },
      reference: { node: 'ingest', output: 'train' },
      schema: { node: 'schema', output: 'schema' },
    });
    expect(nodes.push!.inputs).toMatchObject({ decision: { node: 'gate', output: 'decision' } });
    // pipeline() recorded this module, not the builder's: workers import the caller's module.
    expect(definition.modulePath).toBe(new URL(import.meta.url).pathname);
  });

  it('turns the options and run parameters into step parameters', () => {
    const nodes = nodesOf(pipeline({ name: 'std', ...standardTraining(base) }), {
      limit: 40,
      adapter: 'dense-network',
    });
    expect(nodes.ingest!.sources).toEqual({ data: { uri: '/data/rows.json' } });
    expect(nodes.ingest!.params).toMatchObject({
      columns: ['y', 'a', 'b'],
      requireColumns: ['y'],
      evalFraction: 0.3,
      seed: 0,
      limit: 40,
    });
    expect(nodes.schema!.params).toMatchObject({ overrides: {} });
    expect(nodes.transform!.params).toMatchObject({ label: 'y' });
    expect(nodes.train!.params).toMatchObject({
      adapter: 'dense-network',
      task: 'regression',
      hyperParameters: { nEstimators: 25 },
    });
    expect(nodes.evaluate!.params).toMatchObject({ modelName: 'm', sliceColumns: ['a'] });
    expect(nodes.gate!.params).toMatchObject({
      metric: 'rmse',
      higherIsBetter: false,
      sliceTolerance: 1,
      minImprovement: 0.5,
    });
    expect(nodes.push!.params).toMatchObject({ modelName: 'm' });
  });

  it('refuses an unknown adapter, or one that cannot do the task, before anything runs', () => {
    const definition = pipeline({ name: 'std', ...standardTraining(base) });
    expect(() => definition.compile({ adapter: 'nope' })).toThrow(
      /adapter "nope" is not a known model kind; fix: use one of auto, .*gradient-boosting/,
    );
    // base is a regression: the logistic regression only classifies, and is not offered.
    expect(() => definition.compile({ adapter: 'logistic-regression' })).toThrow(
      // The list offered (up to its parenthesis) leaves it out; the refused value is quoted after it.
      /adapter "logistic-regression" does not do regression; fix: use one of auto, (?:(?!logistic)[^(])*\(or add yours/,
    );
    expect(nodesOf(definition, { adapter: 'auto' }).train!.params).toMatchObject({ adapter: 'auto' });
  });

  it('evaluates without slices when no sliceColumns are given', () => {
    const { sliceColumns: _omitted, ...withoutSlices } = base;
    const nodes = nodesOf(pipeline({ name: 'std', ...standardTraining(withoutSlices) }));
    expect(nodes.evaluate!.params).toMatchObject({ modelName: 'm', sliceColumns: [] });
  });

  it('passes the split seed, eval fraction and schema overrides when given', () => {
    const definition = pipeline({
      name: 'std',
      ...standardTraining({
        ...base,
        seed: 'cars',
        evalFraction: 0.2,
        schemaOverrides: { b: { required: false } },
      }),
    });
    const nodes = nodesOf(definition, { minImprovement: 0.1 });
    expect(nodes.ingest!.params).toMatchObject({ seed: 'cars', evalFraction: 0.2 });
    expect(nodes.schema!.params).toMatchObject({ overrides: { b: { required: false } } });
    expect(nodes.gate!.params).toMatchObject({ minImprovement: 0.1 });
  });

  it('passes columnTypes to ingest, and refuses a type it does not know before anything runs', () => {
    const nodes = nodesOf(
      pipeline({ name: 'std', ...standardTraining({ ...base, columnTypes: { a: 'categorical' } }) }),
    );
    expect(nodes.ingest!.params).toMatchObject({ columnTypes: { a: 'categorical' } });
    expect(nodesOf(pipeline({ name: 'std', ...standardTraining(base) })).ingest!.params).not.toHaveProperty(
      'columnTypes',
    );
    const wrong = pipeline({
      name: 'std',
      ...standardTraining({ ...base, columnTypes: { a: 'text' as 'categorical' } }),
    });
    expect(() => wrong.compile()).toThrow(/"params\.columnTypes\.a" .*"numeric"\|"categorical"\|"boolean"/);
    expect(() => wrong.compile()).toThrow(expect.objectContaining({ code: 'invalid_param' }));
  });

  it('lists every output of every node, with its kind, in standardTrainingOutputs', () => {
    const snapshot = pipeline({ name: 'std', ...standardTraining(base) }).compile().snapshot;
    const outputs = Object.fromEntries(
      snapshot.nodes.map((n) => [
        n.id,
        Object.fromEntries(Object.entries(n.outputs).map(([k, o]) => [k, o.kind])),
      ]),
    );
    expect(outputs).toEqual(standardTrainingOutputs);
  });
});
