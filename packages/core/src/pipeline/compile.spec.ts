import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { t } from '../artifact-type/artifact-type.js';
import { CompileError } from '../errors/strata-error.js';
import { step } from '../step/step.js';
import { when } from './compile-scope.js';
import { pipeline } from './pipeline.js';
import type { SnapshotNode } from './snapshot.js';
import { validateGraph } from './validate-graph.js';

const source = step({
  name: 'source',
  outputs: { rows: t.json<number[]>(), label: t.string() },
  run: () => ({ rows: [1, 2], label: 'x' }),
});
const double = step({
  name: 'double',
  inputs: { rows: t.json<number[]>() },
  outputs: { rows: t.json<number[]>() },
  params: z.object({ factor: z.number().min(1).default(2) }),
  run: ({ rows }, { factor }) => ({ rows: rows.map((r) => r * factor) }),
});
const square = step({
  name: 'square',
  inputs: { n: t.number() },
  outputs: { n: t.number() },
  run: ({ n }) => ({ n: n * n }),
});
const total = step({
  name: 'total',
  inputs: { values: t.json<number[]>() },
  outputs: { sum: t.number() },
  run: ({ values }) => ({ sum: values.reduce((a, b) => a + b, 0) }),
});
const bytes = step({ name: 'bytes', inputs: { data: t.bytes() }, outputs: {}, run: () => ({}) });

function compileError(body: () => void): CompileError {
  const p = pipeline({ name: 'bad', body });
  try {
    p.compile();
  } catch (error) {
    expect(error).toBeInstanceOf(CompileError);
    return error as CompileError;
  }
  throw new Error('expected a compile error');
}

describe('compile', () => {
  it('builds a hashed snapshot with nodes in topological order and defaults applied', () => {
    const p = pipeline({
      name: 'ok',
      params: z.object({ factor: z.number().default(3) }),
      body: ({ factor }) => {
        const { rows } = source();
        const doubled = double({ rows }, { params: { factor } });
        double({ rows: doubled.rows }, { id: 'again' });
      },
    });
    const a = p.compile().snapshot;
    expect(a.nodes.map((n) => n.id)).toEqual(['source', 'double', 'again']);
    expect(a.nodes[1]!.params).toEqual({ factor: 3 });
    expect(a.nodes[2]!.params).toEqual({ factor: 2 });
    expect(a.module).toMatch(/compile\.spec\.ts$/);
    expect(p.compile().snapshot.id).toBe(a.id);
    expect(p.compile({ factor: 4 }).snapshot.id).not.toBe(a.id);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('records fan-out, fan-in, conditions and explicit ordering', () => {
    const p = pipeline({
      name: 'shapes',
      body: () => {
        const { rows, label } = source();
        const squared = square.map('n', { n: rows as never }, { concurrency: 2 });
        const { sum } = total({ values: squared.n });
        when(
          sum,
          (s) => s > 10,
          () => {
            double({ rows }, { after: [sum] });
          },
        );
        void label;
      },
    });
    const nodes = p.compile().snapshot.nodes;
    expect(nodes.find((n) => n.id === 'square')!.map).toEqual({ over: 'n', concurrency: 2 });
    expect(nodes.find((n) => n.id === 'total')!.inputs.values).toEqual({
      node: 'square',
      output: 'n',
      collect: true,
    });
    const cond = nodes.find((n) => n.id === 'double')!;
    expect(cond.condition?.node).toBe('total');
    expect(cond.after).toEqual(['total']);
  });

  it('identifies a condition by its predicate as written, not by how the loader printed it', () => {
    // tsx prints `v=>v>.5`, Vite `(v) => v > .5`: a run submitted from one and run by the other must agree.
    const conditionId = (predicate: (v: number) => boolean) =>
      pipeline({
        name: 'printed',
        body: () => {
          const { rows } = source();
          when(rows as never, predicate as never, () => double({ rows }));
        },
      })
        .compile()
        .snapshot.nodes.find((n) => n.id === 'double')!.condition!.predicate;
    const printed = (text: string) => Object.assign((v: number) => v > 0.5, { toString: () => text });
    expect(conditionId(printed('v=>v>.5'))).toBe(conditionId(printed('(v) => v > .5')));
    expect(conditionId(printed('v=>v>.5'))).not.toBe(conditionId(printed('v=>v>.7')));
  });

  it('rejects a missing input, naming the step and the field', () => {
    const error = compileError(() => {
      double({} as never);
    });
    expect(error.message).toContain('step "double"');
    expect(error.field).toBe('inputs.rows');
  });

  it('rejects an extra input', () => {
    const error = compileError(() => {
      const { rows } = source();
      double({ rows, other: rows } as never);
    });
    expect(error.field).toBe('inputs.other');
  });

  it('rejects an output wired into an input of another type', () => {
    const error = compileError(() => {
      const { rows } = source();
      bytes({ data: rows } as never);
    });
    expect(error.message).toContain('expects bytes');
    expect(error.field).toBe('inputs.data');
  });

  it('rejects invalid step and pipeline parameters before anything runs', () => {
    const error = compileError(() => {
      const { rows } = source();
      double({ rows }, { params: { factor: 0 } });
    });
    expect(error.field).toBe('params.factor');
    expect(error.value).toBe(0);
    const p = pipeline({ name: 'typed', params: z.object({ n: z.number() }), body: () => source() });
    expect(() => p.compile({ n: 'x' } as never)).toThrow(/invalid parameters: "params.n"/);
  });

  it('quotes the value it refused (--param factor=abc reads a string; 1e400 reads Infinity)', () => {
    const error = compileError(() => {
      const { rows } = source();
      double({ rows }, { params: { factor: 0 } });
    });
    expect(error.message).toContain('(given: 0)');
    const p = pipeline({ name: 'typed', params: z.object({ n: z.number() }), body: () => source() });
    expect(() => p.compile({ n: 'abc' } as never)).toThrow(/"params\.n" .*\(given: "abc"\)/);
    expect(() => p.compile({ n: Number.POSITIVE_INFINITY })).toThrow(/\(given: Infinity\)/);
    expect(() => p.compile({ n: 'x'.repeat(200) } as never)).toThrow(/\(given: "x{76}\.\.\.\)/);
  });

  it('rejects cycles in a snapshot graph', () => {
    const node = (id: string, dep: string): SnapshotNode => ({
      id,
      step: id,
      codeHash: 'x',
      params: {},
      inputs: {},
      outputs: {},
      after: [dep],
      cache: { enabled: true },
    });
    expect(() => validateGraph('loop', [node('a', 'b'), node('b', 'c'), node('c', 'a')])).toThrow(
      /cycle: a -> b -> c -> a/,
    );
  });

  it('rejects steps called outside a pipeline body', () => {
    expect(() => source()).toThrow(/outside a pipeline body/);
  });
});
