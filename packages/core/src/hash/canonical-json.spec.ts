import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonReference, canonicalJsonSharing, hashJson } from './canonical-json.js';

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

describe('canonicalJson written directly (no normalized copy)', () => {
  const same = (value: unknown, options?: { nonFinite: 'null' }) =>
    expect(canonicalJson(value, options)).toBe(canonicalJsonReference(value, options));

  it('is the reference text byte for byte on the values it writes itself and on those it hands back', () => {
    const symbol = Symbol('s');
    const fn = () => 1;
    for (const value of [
      null,
      0,
      -0,
      1e21,
      1.5e-7,
      -123.456,
      'text with "quotes", \\ and \u0000 \ud800 é 🙂',
      true,
      false,
      12345678901234567890n,
      [],
      {},
      [1, undefined, fn, symbol, null, [2, [3]]],
      { b: 1, a: { d: [1, { z: 1, y: 2 }], c: null }, u: undefined, f: fn, s: symbol },
      { é: 1, e: 2, E: 3, '': 4, 'a b': 5, '\u0000': 6 },
      new Date(0),
      { when: new Date(86_400_000) },
      // Array indices are ordered first by V8 (the reference's copy is a plain object): handed back.
      { b: 1, 10: 'ten', 2: 'two', a: 0 },
      { '01': 1, '1': 2, '4294967296': 3 },
      // toJSON, typed arrays, buffers, maps, boxed values, __proto__ keys.
      { m: { toJSON: () => ({ y: 1, x: [2] }) } },
      new Uint8Array([3, 1, 2, 10, 11]),
      Buffer.from('ab'),
      new Map([[1, 2]]),
      Object(1),
      JSON.parse('{"__proto__": {"x": 1}, "a": 2}'),
      Object.create(null),
      Array.from({ length: 3 }),
      // biome-ignore lint/suspicious/noSparseArray: a hole is written as null, as the reference does
      [1, , 3],
    ]) {
      same(value);
    }
    same({ a: Number.NaN, b: [Number.POSITIVE_INFINITY] }, { nonFinite: 'null' });
  });

  it('matches the reference on random JSON-like values', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const keys = ['a', 'b', 'zz', 'A', '0', '7', '10', 'k k', 'é', '__proto__', 'toJSON'];
    const make = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) {
        const leaves = [null, true, false, 0, -1.25, 1e-9, 'x', '', undefined, 3n];
        return leaves[Math.floor(random() * leaves.length)];
      }
      if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => make(depth + 1));
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 5); i > 0; i--) {
        const key = keys[Math.floor(random() * keys.length)]!;
        // A toJSON key holding a non-function is plain data.
        Object.defineProperty(out, key, {
          value: make(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    };
    for (let i = 0; i < 2_000; i++) {
      const value = { root: make(0) };
      same(value);
    }
  });

  it('still names the path of a number with no JSON form, and throws on a missing value', () => {
    expect(() => canonicalJson({ a: [{ b: Number.NEGATIVE_INFINITY }] })).toThrow(
      '$.a[0].b is -Infinity, which has no canonical JSON form',
    );
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
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
