import { describe, expect, it } from 'vitest';
import { isValidRange, satisfies } from './version-range.js';

describe('satisfies', () => {
  it.each([
    ['0.1.0', '^0.1.0', true],
    ['0.1.9', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.4.2', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['1.2.9', '~1.2.0', true],
    ['1.3.0', '~1.2.0', false],
    ['0.1.0', '>=0.1.0 <0.2.0', true],
    ['0.2.0', '>=0.1.0 <0.2.0', false],
    ['0.2.0', '>= 0.1.0 < 0.3.0', true],
    ['3.1.0', '1.x || >=3.0.0', true],
    ['2.1.0', '1.x || >=3.0.0', false],
    ['0.1.0', '*', true],
    ['0.1.0', '0.1.0', true],
    ['0.1.1', '0.1.0', false],
    ['0.1.0', '0.1', true],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('knows what it cannot parse', () => {
    expect(isValidRange('^0.1.0')).toBe(true);
    expect(isValidRange('>=1 <2 || 3.x')).toBe(true);
    expect(isValidRange('latest')).toBe(false);
    expect(satisfies('0.1.0', 'latest')).toBe(false);
  });
});
