import { isAbsolute, join } from 'node:path';
import { StrataError } from '@strata/core';
import { type ProjectConfig, strataDir } from './project-config.js';
import type { SecretStore } from './secrets.js';

const reference = /\{\{\s*secret\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\s*\}\}/g;
const scheme = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The metadata store URL as written (config or STRATA_DATABASE_URL), before secrets are filled in. */
export function configuredDatabaseUrl(
  root: string,
  config: ProjectConfig,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (env.STRATA_DATABASE_URL) return env.STRATA_DATABASE_URL;
  const configured = config.databaseUrl;
  if (configured === undefined) return join(strataDir(root), 'strata.db');
  // A relative SQLite path in the project config is relative to the project, not the working directory.
  if (configured.startsWith('sqlite:')) {
    const path = configured.slice('sqlite:'.length).replace(/^\/\//, '');
    return path === ':memory:' || isAbsolute(path) ? configured : `sqlite:${join(root, path)}`;
  }
  if (
    scheme.test(configured) ||
    configured.startsWith('{{') ||
    configured === ':memory:' ||
    isAbsolute(configured)
  )
    return configured;
  return join(root, configured);
}

function hasPlainPassword(url: string): boolean {
  if (!/^postgres(ql)?:\/\//i.test(url)) return false;
  try {
    const password = new URL(url).password;
    return password !== '' && !/^(%7B%7B|\{\{)/i.test(password);
  } catch {
    return false;
  }
}

/**
 * The metadata store URL of a project, with its password: `STRATA_DATABASE_URL`, then `databaseUrl` in
 * `.strata/config.json`, then `.strata/strata.db`. `{{secret.NAME.KEY}}` references in the URL and the
 * `databasePasswordSecret` setting are resolved from the project's secrets, in memory only; a password
 * written into config.json itself is refused (it would be stored in plain text). The result may carry a
 * password: hand it to openDatabase, never print it (print `redactUrl(url)`).
 */
export async function resolveDatabaseUrl(
  root: string,
  config: ProjectConfig,
  secrets: SecretStore,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (!env.STRATA_DATABASE_URL && config.databaseUrl !== undefined && hasPlainPassword(config.databaseUrl)) {
    throw new StrataError('.strata/config.json stores a database password in databaseUrl', {
      code: 'invalid_project_config',
      field: 'databaseUrl',
      value: config.databaseUrl.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@'),
      fix: 'remove the password from the URL and give it as {{secret.NAME.KEY}} in the URL, as databasePasswordSecret: "NAME.KEY", or through PGPASSWORD / STRATA_DATABASE_URL in the environment',
    });
  }
  let url = configuredDatabaseUrl(root, config, env);
  const whole = url.match(/^\s*\{\{\s*secret\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\s*\}\}\s*$/) !== null;
  for (const match of [...url.matchAll(reference)]) {
    const [text, name, key] = match as unknown as [string, string, string];
    const value = await secretValue(secrets, name, key, 'databaseUrl');
    // Inside a URL the value is percent-encoded (a password may hold @, : or /); a reference that is
    // the whole URL is taken as is.
    url = url.replace(text, whole ? value : encodeURIComponent(value));
  }
  const passwordSecret = config.databasePasswordSecret;
  if (passwordSecret !== undefined && /^postgres(ql)?:\/\//i.test(url)) {
    const [name, key] = passwordSecret.split('.') as [string, string];
    const parsed = new URL(url);
    if (!parsed.password) {
      parsed.password = encodeURIComponent(await secretValue(secrets, name, key, 'databasePasswordSecret'));
      url = parsed.toString();
    }
  }
  return url;
}

async function secretValue(secrets: SecretStore, name: string, key: string, field: string): Promise<string> {
  const value = (await secrets.get(name))?.[key];
  if (value === undefined) {
    throw new StrataError(
      `the metadata database ${field} references secret "${name}.${key}", which does not exist`,
      {
        code: 'unknown_secret',
        field,
        value: `${name}.${key}`,
        fix: `create it with \`strata secret set ${name} ${key}=...\` (on every machine that opens this project)`,
      },
    );
  }
  return value;
}
