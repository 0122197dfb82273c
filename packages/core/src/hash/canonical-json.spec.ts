import { describe, expect, it } from 'vitest';
import { canonicalJson, hashJson } from './canonical-json.js';

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
