import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strata, workspace } from './server-process.js';

export interface ServerTestProject {
  readonly root: string;
  /** Extra environment for every process of this project (its database URL on PostgreSQL). */
  readonly env: NodeJS.ProcessEnv;
  strata(...args: string[]): ReturnType<typeof strata>;
  dispose(): Promise<void>;
}

/**
 * A throw-away project outside the workspace (modules linked from examples/quickstart), initialised
 * with the built CLI, on SQLite or on the PostgreSQL database `databaseUrl`.
 */
export async function createServerTestProject(databaseUrl?: string): Promise<ServerTestProject> {
  const root = await mkdtemp(join(tmpdir(), 'strata-server-'));
  await symlink(join(workspace, 'examples/quickstart/node_modules'), join(root, 'node_modules'));
  await writeFile(
    join(root, 'package.json'),
    '{ "name": "server-test", "private": true, "type": "module" }\n',
  );
  const env: NodeJS.ProcessEnv = databaseUrl ? { STRATA_DATABASE_URL: databaseUrl } : {};
  const project: ServerTestProject = {
    root,
    env,
    strata: (...args) => strata(root, args, env),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  const init = await project.strata('init');
  if (init.code !== 0) throw new Error(`strata init failed:\n${init.stderr}`);
  return project;
}
