import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { t } from '../artifact-type/artifact-type.js';
import { CompileError } from '../errors/strata-error.js';
import { step } from '../step/step.js';
import { pipeline } from './pipeline.js';

const source = step({ name: 'source', outputs: { rows: t.json<number[]>() }, run: () => ({ rows: [1, 2] }) });
const scale = step({
  name: 'scale',
  inputs: { rows: t.json<number[]>() },
  outputs: { rows: t.json<number[]>() },
  params: z.object({ factor: z.number().min(1).default(2), label: z.string().default('x') }),
  settings: { docker: { memory: '1g', cpus: 1 } },
  run: ({ rows }, { factor }) => ({ rows: rows.map((r) => r * factor) }),
});
const p = pipeline({
  name: 'overridden',
  body: () => {
    const { rows } = source();
    scale({ rows }, { params: { factor: 3, label: 'code' } });
  },
});

describe('compile overrides (run config steps:)', () => {
  it('merges params over the call, settings deeply, and replaces cache; records them in the snapshot', () => {
    const plain = p.compile();
    const { snapshot } = p.compile(
      {},
      {
        overrides: { scale: { params: { factor: 5 }, settings: { docker: { memory: '2g' } }, cache: false } },
      },
    );
    const node = snapshot.nodes.find((n) => n.id === 'scale')!;
    expect(node.params).toEqual({ factor: 5, label: 'code' });
    expect(node.settings).toEqual({ docker: { memory: '2g', cpus: 1 } });
    expect(node.cache).toEqual({ enabled: false });
    expect(snapshot.overrides).toEqual({
      scale: { params: { factor: 5 }, settings: { docker: { memory: '2g' } }, cache: false },
    });
    expect(snapshot.id).not.toBe(plain.snapshot.id);
    expect(plain.snapshot.overrides).toBeUndefined();
    expect(p.compile({}, { overrides: {} }).snapshot.id).toBe(plain.snapshot.id);
  });

  it('rejects an override of an unknown node and validates overridden params', () => {
    expect(() => p.compile({}, { overrides: { nope: { params: {} } } })).toThrow(/overrides step "nope"/);
    expect(() => p.compile({}, { overrides: { scale: { params: { factor: 0 } } } })).toThrow(CompileError);
  });
});
