import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { givenTogether, objectStoreRetryConfig } from './object-store-config.js';

const config = z.object({
  keyId: z.string().optional(),
  secret: z.string().optional(),
  ...objectStoreRetryConfig,
});

describe('objectStoreRetryConfig', () => {
  it('defaults maxAttempts to 8 and bounds it to 1..20 whole attempts', () => {
    expect(config.parse({}).maxAttempts).toBe(8);
    for (const bad of [0, 21, 2.5]) expect(config.safeParse({ maxAttempts: bad }).success).toBe(false);
  });
});

describe('givenTogether', () => {
  const both = givenTogether(config, ['keyId', 'secret'], 'the SDK credential chain');

  it('accepts both fields or neither', () => {
    expect(both.parse({ keyId: 'a', secret: 'b' })).toMatchObject({ keyId: 'a', secret: 'b' });
    expect(both.parse({})).toMatchObject({ maxAttempts: 8 });
  });

  it('refuses one without the other, on the second field, saying what neither means', () => {
    for (const input of [{ keyId: 'a' }, { secret: 'b' }]) {
      const issue = both.safeParse(input).error?.issues[0];
      expect(issue).toMatchObject({
        path: ['secret'],
        message: 'keyId and secret must be given together (or neither, to use the SDK credential chain)',
      });
    }
  });
});
