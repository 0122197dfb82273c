import { join } from 'node:path';
import type { StrataDatabase } from '@strata/core/plugin';
import { type ProjectConfig, readProjectConfig, strataDir } from './project-config.js';
import { findProjectRoot } from './project-root.js';
import { referencedSecrets, SecretStore } from './secrets.js';

/**
 * The project's secret store without opening the metadata database: `strata secret set` must work
 * before the database can be opened, e.g. to create the secret `databasePasswordSecret` names.
 */
export async function openSecrets(
  cwd?: string,
): Promise<{ root: string; config: ProjectConfig; secrets: SecretStore }> {
  const root = findProjectRoot(cwd);
  const config = await readProjectConfig(root);
  return { root, config, secrets: new SecretStore(join(strataDir(root), 'secrets')) };
}

/** What uses secret `name`: components whose config references it, and the project's database password. */
export async function secretUsers(
  name: string,
  config: ProjectConfig,
  database: StrataDatabase | undefined,
): Promise<string[]> {
  const users: string[] = [];
  if (config.databasePasswordSecret?.split('.')[0] === name)
    users.push('the project config (databasePasswordSecret)');
  for (const c of (await database?.listComponents()) ?? []) {
    if (referencedSecrets(c.config).some((r) => r.split('.')[0] === name))
      users.push(`${c.type.replace(/_/g, '-')} "${c.name}"`);
  }
  return users;
}
