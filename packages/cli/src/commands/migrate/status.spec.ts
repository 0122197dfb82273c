import { describe, expect, it } from 'vitest';
import { stateText } from './status.js';

describe('migrate status', () => {
  it('says each state in words, and how many migrations are pending', () => {
    expect(stateText({ state: 'up_to_date', pending: [] })).toBe('up to date');
    expect(stateText({ state: 'too_new', pending: [] })).toBe('newer than this Strata');
    // At version 11 of 11 with migration 8 (a gap) pending: the count says it.
    const pending = [{ version: 8, name: '0008_code_identities' }];
    expect(stateText({ state: 'behind', pending })).toBe('behind: 1 pending');
  });
});
