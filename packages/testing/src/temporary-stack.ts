import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from '@strata/core';
import { registerTestStack, testConcurrency } from '@strata/core/testing';
import { openDatabase } from '@strata/metadata';
import { buildStack, builtinPlugins, SecretStore, strataDir, writeProjectConfig } from '@strata/project';

export interface TemporaryStackOptions {
  /** `process` runs every step in a child process through the step entry point (default `in-process`). */
  readonly isolation?: 'in-process' | 'process';
  /** Step instances running at once (default 4). */
  readonly concurrency?: number;
  /** Print step log lines to stderr as they happen. */
  readonly echoLogs?: boolean;
  /** Add the local model registry to the stack (steps reach it through `ctx.component(ModelRegistry)`). */
  readonly modelRegistry?: boolean;
  /** Use this directory as the project root instead of a fresh temporary one (it is not deleted). */
  readonly root?: string;
}

export interface TemporaryStack {
  readonly stack: Stack;
  /** The throwaway project root: `.strata/strata.db` (SQLite) and `.strata/artifacts` live under it. */
  readonly root: string;
  /** The SQLite file, for opening a second connection (another process, a Client). */
  readonly databasePath: string;
  /** Closes the stack and deletes the directory (unless `root` was given). */
  cleanup(): Promise<void>;
}

/** The stack name under which the temporary components are registered. */
export const TEMPORARY_STACK = 'temporary';

/**
 * A complete local stack in a temporary directory: SQLite metadata, a local artifact store and the
 * local orchestrator. It is registered in its own database like a real project's stack, so child
 * processes (process isolation, or a test that spawns a pipeline script with `cwd: root`) open the
 * same stack through `@strata/project`.
 */
export async function createTemporaryStack(options: TemporaryStackOptions = {}): Promise<TemporaryStack> {
  const concurrency = testConcurrency(options.concurrency);
  const root = options.root ?? (await mkdtemp(join(tmpdir(), 'strata-test-')));
  await mkdir(strataDir(root), { recursive: true });
  const databasePath = join(strataDir(root), 'strata.db');
  const database = await openDatabase(databasePath);
  try {
    // Scripts started with `cwd: root` (and step processes) open this stack as the active one.
    await writeProjectConfig(root, { version: 1, activeStack: TEMPORARY_STACK, plugins: [] });
    const orchestrator = {
      concurrency,
      isolation: options.isolation ?? 'in-process',
      echoLogs: options.echoLogs ?? false,
    };
    await registerTestStack(database, TEMPORARY_STACK, [
      { type: 'orchestrator', flavor: 'local', config: orchestrator },
      { type: 'artifact_store', flavor: 'local', config: { path: '.strata/artifacts' } },
      ...(options.modelRegistry ? [{ type: 'model_registry', flavor: 'local', config: {} }] : []),
    ]);
    const stack = await buildStack({
      name: TEMPORARY_STACK,
      root,
      database,
      plugins: builtinPlugins,
      secrets: new SecretStore(join(strataDir(root), 'secrets')),
      ownsDatabase: true,
    });
    let cleaned = false;
    return {
      stack,
      root,
      databasePath,
      async cleanup() {
        if (cleaned) return;
        cleaned = true;
        await stack.close();
        if (options.root === undefined) await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
