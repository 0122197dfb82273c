/**
 * Throw-away, isolated workspaces, one per framework: a Strata project (its own .strata/ SQLite and
 * artifacts), a ZenML repository with its own config and local store (analytics off), and a Metaflow
 * directory with a local datastore and metadata. The peers' pipeline files are copied in (ZenML
 * refuses a pipeline module outside its source root); nothing leaves the temp directory.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ZENML_BIN } from './python-env.js';
import type { Framework } from './stats.js';

export const HERE = import.meta.dirname;
export const ROOT = resolve(HERE, '../..');
export const STRATA_BIN = join(ROOT, 'packages/cli/bin/strata.js');
export const PENGUINS_CSV = join(ROOT, 'packages/ml/src/__fixtures__/penguins.csv');

export interface Workspace {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

function baseEnv(): NodeJS.ProcessEnv {
  const { PATH, LANG, TZ, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS } = process.env;
  const env: NodeJS.ProcessEnv = { PATH, LANG: LANG ?? 'C.UTF-8', NO_COLOR: '1', TERM: 'dumb' };
  for (const [k, v] of Object.entries({ TZ, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS })) if (v) env[k] = v;
  return env;
}

function copyPython(from: string, to: string): void {
  for (const f of readdirSync(from)) if (f.endsWith('.py')) cpSync(join(from, f), join(to, f));
}

export function prepareWorkspaces(tmp: string): Record<Framework, Workspace> {
  const strata: Workspace = {
    dir: join(tmp, 'strata'),
    env: { ...baseEnv(), HOME: join(tmp, 'strata'), STRATA_PROJECT_ROOT: join(tmp, 'strata') },
  };
  const zenml: Workspace = {
    dir: join(tmp, 'zenml'),
    env: {
      ...baseEnv(),
      HOME: join(tmp, 'zenml'),
      ZENML_CONFIG_PATH: join(tmp, 'zenml', '.zenconfig'),
      ZENML_ANALYTICS_OPT_IN: 'false',
      ZENML_ENABLE_REPO_INIT_WARNINGS: 'false',
      ZENML_LOGGING_COLORS_DISABLED: 'true',
      ZENML_ENABLE_RICH_TRACEBACK: 'false',
      AUTO_OPEN_DASHBOARD: 'false',
    },
  };
  const metaflow: Workspace = {
    dir: join(tmp, 'metaflow'),
    env: {
      ...baseEnv(),
      HOME: join(tmp, 'metaflow'),
      USERNAME: 'bench',
      METAFLOW_HOME: join(tmp, 'metaflow', '.metaflowconfig'),
      METAFLOW_DEFAULT_DATASTORE: 'local',
      METAFLOW_DEFAULT_METADATA: 'local',
      METAFLOW_DATASTORE_SYSROOT_LOCAL: join(tmp, 'metaflow'),
    },
  };
  for (const w of [strata, zenml, metaflow]) mkdirSync(w.dir, { recursive: true });
  copyPython(join(HERE, 'zenml'), zenml.dir);
  copyPython(join(HERE, 'metaflow'), metaflow.dir);
  // One-time set-up, not timed: the Strata project and the ZenML repository (and its store migrations).
  execFileSync(process.execPath, [STRATA_BIN, 'init'], { cwd: strata.dir, env: strata.env, stdio: 'ignore' });
  execFileSync(ZENML_BIN, ['init'], { cwd: zenml.dir, env: zenml.env, stdio: 'ignore' });
  return { strata, zenml, metaflow };
}
