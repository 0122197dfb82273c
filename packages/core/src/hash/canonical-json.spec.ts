import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonSharing, hashJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth so key order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(hashJson({ x: 1, y: 2 })).toBe(hashJson({ y: 2, x: 1 }));
  });

  it('drops undefined properties and rejects non-finite numbers', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(() => canonicalJson({ rate: Number.NaN })).toThrow('$.rate is NaN');
  });
});

describe('canonicalJsonSharing', () => {
  it('is canonicalJson byte for byte, with the shared objects written once and spliced in', () => {
    const files = { 'z.ts': 'sha-z', 'a.ts': 'sha-a', nested: { b: [1, 2, { c: null }], a: 'x' } };
    const packages = { zod: '4.1.0', kysely: '0.28.0' };
    const value = {
      nodes: Array.from({ length: 5 }, (_, i) => ({
        id: `n${i}`,
        code: i % 2 === 0 ? { files, packages } : { files },
        params: { k: i, skip: undefined },
      })),
      // A string that looks like a stand-in is only a string.
      note: '\u0000shared 1',
      list: [files, undefined, packages],
    };
    const shared = new Set<object>([files, packages]);
    const text = canonicalJsonSharing(value, (o) => shared.has(o));
    expect(text).toBe(canonicalJson(value));
    // Nothing shared: the same text too.
    expect(canonicalJsonSharing(value, () => false)).toBe(canonicalJson(value));
  });
});
