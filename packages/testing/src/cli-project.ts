/**
 * A throw-away Strata project in the OS temp directory, driven through the BUILT `strata`
 * binary (packages/cli/bin/strata.js -> dist/index.bundle.js) exactly as a user runs it.
 *
 * Module resolution: a project outside the workspace cannot resolve `@strata/core` or `zod` for its
 * pipeline files, so `node_modules` in the temp project is a symlink to a workspace package's
 * node_modules (examples/quickstart by default). Node resolves symlinks to real paths, so the
 * pipeline file and the CLI share one copy of @strata/core.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const bin = join(workspace, 'packages/cli/bin/strata.js');

/** Builds the CLI (and what it references) when dist is missing; `pnpm test` builds beforehand anyway. */
export function ensureBuilt(): void {
  if (!existsSync(join(workspace, 'packages/cli/dist/main.js'))) {
    execFileSync(join(workspace, 'node_modules/.bin/tsc'), ['-b', 'packages/cli'], {
      cwd: workspace,
      stdio: 'inherit',
    });
  }
  // As `pnpm build` does: kysely and inversify as one file each, then the packages on `strata run`'s
  // path as a few files each (each script a no-op when its bundles are current).
  for (const script of ['scripts/bundle-vendor.mjs', 'scripts/bundle-packages.mjs']) {
    execFileSync(process.execPath, [join(workspace, script)], { cwd: workspace, stdio: 'inherit' });
  }
}

function cleanEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_PROJECT_ROOT: root, NO_COLOR: '1' };
  delete env.STRATA_STACK;
  delete env.STRATA_DATABASE_URL;
  return env;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TempProject {
  readonly root: string;
  readonly outputs: string[];
  strata(...args: string[]): CliResult;
  path(...parts: string[]): string;
  write(relative: string, text: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function createTempProject(options: { modulesFrom?: string } = {}): Promise<TempProject> {
  const root = await mkdtemp(join(tmpdir(), 'strata-cli-'));
  await symlink(
    join(workspace, options.modulesFrom ?? 'examples/quickstart', 'node_modules'),
    join(root, 'node_modules'),
  );
  await writeFile(
    join(root, 'package.json'),
    '{ "name": "temp-project", "private": true, "type": "module" }\n',
  );
  const outputs: string[] = [];
  return {
    root,
    outputs,
    strata(...args) {
      const result = spawnSync(process.execPath, [bin, ...args], {
        cwd: root,
        encoding: 'utf8',
        env: cleanEnv(root),
        timeout: 120_000,
      });
      outputs.push(result.stdout, result.stderr);
      return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    path: (...parts) => join(root, ...parts),
    write: (relative, text) => writeFile(join(root, relative), text),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/** Everything the store holds about stacks and components, plus the project config: to prove "unchanged". */
export async function storeState(project: TempProject): Promise<string> {
  const { openDatabase } = await import('@strata/metadata');
  const db = await openDatabase(project.path('.strata/strata.db'));
  try {
    const config = await readFile(project.path('.strata/config.json'), 'utf8').catch(() => '');
    const strip = <T extends { createdAt: number; updatedAt: number }>({
      createdAt: _c,
      updatedAt: _u,
      ...rest
    }: T) => rest;
    return JSON.stringify({
      components: (await db.listComponents()).map(strip),
      stacks: (await db.listStacks()).map(strip),
      config,
    });
  } finally {
    await db.close();
  }
}
