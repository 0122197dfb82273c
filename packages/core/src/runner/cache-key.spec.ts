import { describe, expect, it } from 'vitest';
import { hashJson } from '../hash/canonical-json.js';
import { type CacheParts, cacheKey, explainMiss } from './cache-key.js';

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
});
