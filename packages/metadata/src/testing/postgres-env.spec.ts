import { describe, expect, it } from 'vitest';
import { postgresTestEnv } from './postgres-env.js';

describe('postgresTestEnv', () => {
  it('uses STRATA_TEST_POSTGRES_URL when set', () => {
    expect(postgresTestEnv({ STRATA_TEST_POSTGRES_URL: 'postgres://u@h/db' })).toEqual({
      kind: 'ready',
      url: 'postgres://u@h/db',
    });
  });

  it('fails with the setup command when it is missing', () => {
    const env = postgresTestEnv({});
    expect(env.kind).toBe('missing');
    expect(env.kind === 'missing' && env.message).toContain('bash scripts/services/postgres.sh');
  });

  it('skips only when asked explicitly, and never in CI', () => {
    expect(postgresTestEnv({ STRATA_SKIP_POSTGRES: '1' })).toEqual({ kind: 'skip' });
    expect(postgresTestEnv({ STRATA_SKIP_POSTGRES: '1', CI: 'true' }).kind).toBe('missing');
    expect(postgresTestEnv({ STRATA_SKIP_POSTGRES: 'yes' }).kind).toBe('missing');
  });
});
