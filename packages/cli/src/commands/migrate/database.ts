/**
 * The metadata database a migrate/export/import command works on: `--database URL`, else the
 * project's (STRATA_DATABASE_URL, then databaseUrl in .strata/config.json, then .strata/strata.db), with
 * `{{secret.NAME.KEY}}` references filled in. The store is opened directly, not through openProject,
 * so nothing is migrated or created behind the command's back.
 */
export async function commandDatabaseUrl(override: string | undefined): Promise<string> {
  const lib = await import('@strata/project');
  const root = lib.findProjectRoot();
  const config = await lib.readProjectConfig(root);
  const secrets = new lib.SecretStore(`${lib.strataDir(root)}/secrets`);
  const env = override === undefined ? process.env : { ...process.env, STRATA_DATABASE_URL: override };
  return lib.resolveDatabaseUrl(root, config, secrets, env);
}
