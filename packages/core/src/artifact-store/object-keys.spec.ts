import { describe, expect, it } from 'vitest';
import { normalizeObjectPrefix, prefixedObjectName } from './object-keys.js';

describe('normalizeObjectPrefix', () => {
  it('drops leading and trailing slashes and ends a non-empty prefix with one', () => {
    expect(normalizeObjectPrefix('/a/b/')).toBe('a/b/');
    expect(normalizeObjectPrefix('team-a/strata')).toBe('team-a/strata/');
    expect(normalizeObjectPrefix('')).toBe('');
    expect(normalizeObjectPrefix('//')).toBe('');
  });
});

describe('prefixedObjectName', () => {
  it('places a relative key, Unicode included, under the prefix', () => {
    expect(prefixedObjectName('team/', 'artifacts/ab/データ.json')).toBe('team/artifacts/ab/データ.json');
    expect(prefixedObjectName('', 'a')).toBe('a');
  });

  it.each(['', '/abs', 'a//b', 'a/./b', '../up', 'a/..', 'a/'])('refuses the key %j', (key) => {
    expect(() => prefixedObjectName('p/', key)).toThrow(
      expect.objectContaining({ code: 'invalid_key', field: 'key', value: key }),
    );
  });
});
