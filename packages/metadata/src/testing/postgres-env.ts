/**
 * The PostgreSQL server for integration specs. Missing configuration is a failure, not a silent skip:
 * a suite that quietly skips is a suite that stops testing. Only STRATA_SKIP_POSTGRES=1 (never in CI)
 * skips on purpose.
 */
export type PostgresTestEnv =
  | { readonly kind: 'ready'; readonly url: string }
  | { readonly kind: 'skip' }
  | { readonly kind: 'missing'; readonly message: string };

export function postgresTestEnv(env: NodeJS.ProcessEnv = process.env): PostgresTestEnv {
  const url = env.STRATA_TEST_POSTGRES_URL;
  if (url) return { kind: 'ready', url };
  if (env.STRATA_SKIP_POSTGRES === '1' && !env.CI) return { kind: 'skip' };
  return {
    kind: 'missing',
    message:
      'STRATA_TEST_POSTGRES_URL is not set, so the PostgreSQL metadata tests cannot run. ' +
      'Start the server with `bash scripts/services/postgres.sh`, then `source .services/env` ' +
      '(or set STRATA_TEST_POSTGRES_URL=postgres://user:password@127.0.0.1:5432/db for a role with CREATEDB). ' +
      'To skip these tests on purpose locally, set STRATA_SKIP_POSTGRES=1.',
  };
}
