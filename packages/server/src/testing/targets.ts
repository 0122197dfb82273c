import { postgresTargets, postgresTestEnv } from '@strata/metadata/testing';

export interface StoreTarget {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh database URL for one project (undefined: the project's own SQLite file). */
  url(): Promise<string | undefined>;
  dispose(): Promise<void>;
}

/**
 * SQLite and PostgreSQL. PostgreSQL needs STRATA_TEST_POSTGRES_URL (`source .services/env`); without it
 * the suite fails loudly instead of skipping.
 */
export function storeTargets(): StoreTarget[] {
  let pg: Awaited<ReturnType<typeof postgresTargets>> | undefined;
  return [
    { name: 'sqlite', url: async () => undefined, dispose: async () => {} },
    {
      name: 'postgres',
      url: async () => {
        const env = postgresTestEnv();
        if (env.kind !== 'ready')
          throw new Error(
            env.kind === 'missing' ? env.message : 'PostgreSQL skipped by STRATA_SKIP_POSTGRES',
          );
        pg ??= await postgresTargets(env.url);
        return (await pg.next()).url;
      },
      dispose: async () => {
        await pg?.dispose();
      },
    },
  ];
}
