import { join } from 'node:path';
import type { Stack } from '@strata/core';
import { type StrataDatabase, type StrataPlugin, setOwnerProber } from '@strata/core/plugin';
import { buildStack } from './build-stack.js';
import { configuredDatabaseUrl, resolveDatabaseUrl } from './database-url.js';
import { DEFAULT_STACK, ensureDefaultStack } from './default-stack.js';
import { stackOwnerProber } from './owner-prober.js';
import { loadPlugins } from './plugins.js';
import { type ProjectConfig, readProjectConfig, strataDir } from './project-config.js';
import { findProjectRoot } from './project-root.js';
import { SecretStore } from './secrets.js';
import { buildStackComponent } from './stack-component.js';
import { openProjectDatabase } from './store-identity.js';

export interface Project {
  readonly root: string;
  readonly config: ProjectConfig;
  readonly database: StrataDatabase;
  readonly plugins: readonly StrataPlugin[];
  readonly secrets: SecretStore;
  /** `--stack`, then STRATA_STACK, then the project's active stack. */
  activeStackName(override?: string): string;
  buildStack(name?: string): Promise<Stack>;
  /** One component of the active (or named) stack, built alone, e.g. its `model_registry`. */
  component<T = unknown>(type: string, stack?: string): Promise<T>;
  close(): Promise<void>;
}

/** The metadata store URL as configured (secret references not yet filled in). */
export function databaseUrl(root: string, config: ProjectConfig): string {
  return configuredDatabaseUrl(root, config);
}

export async function openProject(options: { cwd?: string } = {}): Promise<Project> {
  const root = findProjectRoot(options.cwd);
  const config = await readProjectConfig(root);
  const secrets = new SecretStore(join(strataDir(root), 'secrets'));
  const database = await openProjectDatabase(root, await resolveDatabaseUrl(root, config, secrets));
  await ensureDefaultStack(database);
  const plugins = await loadPlugins(root, config.plugins);
  const activeStackName = (override?: string) =>
    override ?? process.env.STRATA_STACK ?? config.activeStack ?? DEFAULT_STACK;
  // Readers of this database judge container and workflow owners through the run's orchestrator.
  setOwnerProber(
    database,
    stackOwnerProber((name) => buildStack({ name, root, database, plugins, secrets })),
  );
  return {
    root,
    config,
    database,
    plugins,
    secrets,
    activeStackName,
    buildStack: (name) => buildStack({ name: activeStackName(name), root, database, plugins, secrets }),
    component: (type, name) =>
      buildStackComponent({ name: activeStackName(name), root, database, plugins, secrets }, type),
    close: () => database.close(),
  };
}

/** Opens the project and builds a stack that also owns (and closes) the database. */
export async function openStack(options: { stack?: string; cwd?: string } = {}): Promise<Stack> {
  const project = await openProject(options.cwd === undefined ? {} : { cwd: options.cwd });
  try {
    return await buildStack({
      name: project.activeStackName(options.stack),
      root: project.root,
      database: project.database,
      plugins: project.plugins,
      secrets: project.secrets,
      ownsDatabase: true,
    });
  } catch (error) {
    await project.close();
    throw error;
  }
}
