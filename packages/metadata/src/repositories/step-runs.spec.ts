import { createHash } from 'node:crypto';
import { storeCacheParts } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { cacheParts } from '../testing/fixtures.js';
import { codeIdentityOf } from './code-identities.js';
import { cachePartsJson } from './step-runs.js';

describe('cachePartsJson', () => {
  it('stores the versioned parts, a code identity as a reference to its stored body', () => {
    const files = { 'src/a.ts': 'sha-a', 'src/b.ts': 'sha-b' };
    const packages = { zod: '4.1.0' };
    const cases = [
      cacheParts('h1'),
      cacheParts('h2', { files, packages, inputs: { x: 'sha-x', xs: ['sha-1', 'sha-2'] } }),
      cacheParts('h3', { files }),
      { ...cacheParts('h4', { files, packages }), sources: { data: { uri: 'file://d', digest: 'd1' } } },
    ];
    for (const parts of cases) {
      const { files: f, packages: p, ...rest } = parts;
      const identity = codeIdentityOf(parts);
      expect(identity === undefined).toBe(f === undefined);
      if (identity) {
        // The body is the identity itself, and the id its sha256.
        expect(JSON.parse(identity.body)).toEqual(p === undefined ? { files: f } : { files: f, packages: p });
        expect(identity.id).toBe(createHash('sha256').update(identity.body).digest('hex').slice(0, 32));
      }
      // Twice: the second call reuses the identity made for the same objects.
      for (let i = 0; i < 2; i++) {
        expect(JSON.parse(cachePartsJson(parts)!)).toEqual(
          JSON.parse(
            JSON.stringify({
              ...(storeCacheParts(rest) as object),
              ...(identity ? { identity: identity.id } : {}),
            }),
          ),
        );
      }
    }
    expect(cachePartsJson(null)).toBeNull();
  });
});
