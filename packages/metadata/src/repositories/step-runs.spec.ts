import { storeCacheParts } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { cacheParts } from '../testing/fixtures.js';
import { cachePartsJson } from './step-runs.js';

describe('cachePartsJson', () => {
  it('stores the same document as JSON.stringify of the versioned parts, with and without a code identity', () => {
    const files = { 'src/a.ts': 'sha-a', 'src/b.ts': 'sha-b' };
    const packages = { zod: '4.1.0' };
    const cases = [
      cacheParts('h1'),
      cacheParts('h2', { files, packages, inputs: { x: 'sha-x', xs: ['sha-1', 'sha-2'] } }),
      cacheParts('h3', { files }),
      { ...cacheParts('h4', { files, packages }), sources: { data: { uri: 'file://d', digest: 'd1' } } },
    ];
    for (const parts of cases) {
      // Twice: the second call splices the remembered text of the same identity objects.
      for (let i = 0; i < 2; i++) {
        expect(JSON.parse(cachePartsJson(parts)!)).toEqual(
          JSON.parse(JSON.stringify(storeCacheParts(parts))),
        );
      }
    }
    expect(cachePartsJson(null)).toBeNull();
  });
});
