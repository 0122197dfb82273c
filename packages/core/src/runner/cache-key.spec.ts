import { describe, expect, it } from 'vitest';
import { hashJson } from '../hash/canonical-json.js';
import { type CacheParts, cacheDiff, cacheKey, explainMiss, NodeKeyParts } from './cache-key.js';

const base: CacheParts = {
  code: 'abc',
  params: { trees: 20 },
  inputs: { data: 'h1' },
  outputs: { model: 'strata.json@1' },
  store: 'local:/tmp/a',
};

describe('cache key', () => {
  it('changes with every part', () => {
    const key = cacheKey(base);
    expect(cacheKey({ ...base })).toBe(key);
    for (const changed of [
      { ...base, code: 'abd' },
      { ...base, params: { trees: 21 } },
      { ...base, inputs: { data: 'h2' } },
      { ...base, outputs: { model: 'strata.json@2' } },
      { ...base, store: 's3://b' },
    ]) {
      expect(cacheKey(changed)).not.toBe(key);
    }
  });

  it('is the hash of the canonical parts, with the code identity spliced in once per object', () => {
    const files = { 'src/b.ts': 'h2', 'src/a.ts': 'h1', 'we"ird\\name.ts': 'h3' };
    const packages = { zod: '4.1.0', '@strata/core': '0.1.0' };
    const withCode: CacheParts = { ...base, files, packages };
    for (const parts of [
      withCode,
      { ...withCode, inputs: { data: 'h9', more: ['a', 'b'] } },
      { ...withCode, code: 'other' },
      { ...withCode, packages: undefined } as unknown as CacheParts,
      { ...base, files },
      { ...withCode, params: { text: '\u0000files', dollar: '$&$1' } },
      {
        ...withCode,
        sources: { data: { uri: 'file:///d.csv', digest: 'sha256:1', entries: { 'a.csv': 'x' } } },
      },
      base,
    ]) {
      expect(cacheKey(parts)).toBe(hashJson(parts));
      // Again with the same objects: served from the remembered text and hash state.
      expect(cacheKey(parts)).toBe(hashJson(parts));
    }
    // The same files object under another code: not the first code's hash state.
    expect(cacheKey({ ...withCode, code: 'x1' })).toBe(hashJson({ ...withCode, code: 'x1' }));
    expect(cacheKey({ ...withCode, code: 'x2' })).toBe(hashJson({ ...withCode, code: 'x2' }));
  });

  it('a node template makes the parts a literal made, and their key is the hash of their canonical text', () => {
    const files = { 'src/b.ts': 'h2', 'src/a.ts': 'h1', 'we"ird\\name.ts': 'h3' };
    // Past the one-shot limit: each key continues from the hash state of the head.
    const manyFiles = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`src/m${i}.ts`, `h${i}`]));
    const packages = { zod: '4.1.0', '@strata/core': '0.1.0' };
    const { inputs: _inputs, ...fixedBase } = base;
    for (const fixed of [
      fixedBase,
      { ...fixedBase, files, packages },
      { ...fixedBase, files: manyFiles, packages },
      { ...fixedBase, code: 'version:2' },
      { ...fixedBase, files, packages, params: { text: '\u0000inputs', dollar: '$&$1', n: [1, 2.5] } },
      { ...fixedBase, files, params: { b: { z: 1, a: [{ y: 2, x: null }] }, a: 'é"\n', 10: 'index key' } },
      { ...fixedBase, params: {}, outputs: { z: 'auto', a: 'strata.json@2' }, store: 'we"ird\\store' },
    ]) {
      const template = new NodeKeyParts(fixed);
      for (const inputs of [{ i: 'h1' }, { i: 'h2' }, { b: 'x', a: ['h3', 'h4'] }, {}]) {
        const parts = template.withInputs(inputs);
        const literal = { ...fixed, inputs } as CacheParts;
        expect(JSON.stringify(parts)).toBe(JSON.stringify(reordered(literal)));
        expect(cacheKey(parts)).toBe(hashJson(literal));
        expect(cacheKey(parts)).toBe(hashJson(parts));
      }
    }
  });

  it("a node template's parts with no canonical form throw the error hashJson throws", () => {
    const { inputs: _inputs, ...fixedBase } = base;
    const parts = new NodeKeyParts({ ...fixedBase, params: { rate: Number.NaN } }).withInputs({ i: 'h' });
    expect(() => hashJson(parts)).toThrow('$.params.rate is NaN, which has no canonical JSON form');
    expect(() => cacheKey(parts)).toThrow('$.params.rate is NaN, which has no canonical JSON form');
  });

  it('explains which part changed', () => {
    expect(explainMiss('train', base, undefined)).toBe('miss: first run of `train`');
    expect(explainMiss('train', { ...base, code: 'x' }, base)).toBe('miss: code of `train` changed');
    expect(explainMiss('train', { ...base, params: { trees: 50 } }, base)).toBe(
      'miss: parameter `trees` changed (20 -> 50)',
    );
    expect(explainMiss('train', { ...base, inputs: { data: 'h9' } }, base)).toBe(
      'miss: input `data` content changed',
    );
  });

  it('names every changed file of a step in one phrase, capped, and its packages in another', () => {
    const files = { 'a.ts': '1', 'b.ts': '1', 'c.ts': '1', 'd.ts': '1', 'e.ts': '1' };
    const before: CacheParts = { ...base, files, packages: { x: '1.0.0', y: '2.0.0' } };
    const after: CacheParts = {
      ...base,
      code: 'def',
      // e.ts is no longer imported, f.ts is new.
      files: { 'a.ts': '2', 'b.ts': '2', 'c.ts': '1', 'd.ts': '2', 'f.ts': '1' },
      packages: { x: '1.1.0', y: '2.0.0' },
    };
    expect(explainMiss('train', after, before)).toBe(
      'miss: code of `train` changed: a.ts edited, b.ts edited, d.ts edited, 2 more; package x changed (1.0.0 -> 1.1.0)',
    );
    // explain lists them all.
    expect(cacheDiff('train', after, before)[0]).toBe(
      'code of `train` changed: a.ts edited, b.ts edited, d.ts edited, e.ts no longer imported, f.ts now imported',
    );
    const bumped: CacheParts = { ...before, code: 'ghi', packages: { x: '1.1.0', y: '3.0.0', z: '1.0.0' } };
    expect(explainMiss('train', bumped, before)).toBe(
      'miss: packages changed: x (1.0.0 -> 1.1.0), y (2.0.0 -> 3.0.0), z (not imported -> 1.0.0)',
    );
  });
});

/** The parts in the order CacheReuse has always written them (the stored JSON keeps it). */
function reordered(parts: CacheParts): CacheParts {
  const { code, files, packages, params, inputs, outputs, store } = parts;
  return {
    code,
    ...(files === undefined ? {} : { files }),
    ...(packages === undefined ? {} : { packages }),
    params,
    inputs,
    outputs,
    store,
  } as CacheParts;
}
