import { describe, expect, it } from 'vitest';
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
