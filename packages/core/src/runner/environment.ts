import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { JsonValue, RunRecord } from '../metadata/records.js';
import type { Stack } from '../stack/stack.js';
import { STRATA_VERSION } from '../version.js';

const lockfiles = ['pnpm-lock.yaml', 'package-lock.json', 'yarn.lock', 'bun.lockb'];

/**
 * What a run needs to be reproduced: code version, dependency lock, runtime and stack (no secrets),
 * and `noCache: true` for a run that was asked to use no cache (a resume of it uses none either).
 */
export async function collectEnvironment(
  stack: Stack,
  options: { noCache?: boolean } = {},
): Promise<JsonValue> {
  const [git, lockfile] = await Promise.all([gitState(stack.projectRoot), lockfileHash(stack.projectRoot)]);
  return {
    git,
    lockfile,
    node: process.version,
    strata: STRATA_VERSION,
    platform: `${process.platform}-${process.arch}`,
    stack: { name: stack.name, components: stack.components as unknown as JsonValue },
    ...(options.noCache ? { noCache: true } : {}),
  };
}

/** Whether the run was started with no cache (`--no-cache`), as its environment records. */
export function ranWithoutCache(run: RunRecord): boolean {
  const environment = run.environment;
  return typeof environment === 'object' && environment !== null && !Array.isArray(environment)
    ? environment.noCache === true
    : false;
}

/**
 * The commit and whether tracked files changed. One `git status` (its porcelain v2 header carries the
 * commit), and none outside a work tree: spawning git costs a run ~30 ms of CPU per call, and most
 * throw-away and CI projects are not repositories.
 */
async function gitState(cwd: string): Promise<JsonValue> {
  if (process.env.GIT_DIR === undefined && !(await insideGitWorkTree(cwd))) return null;
  try {
    // Imported here, for the same reason: loading child_process costs every start ~2 ms.
    const { execFile } = await import('node:child_process');
    const { stdout } = await promisify(execFile)(
      'git',
      ['status', '--porcelain=v2', '--branch', '--untracked-files=no'],
      {
        cwd,
      },
    );
    const lines = stdout.split('\n').filter((line) => line.length > 0);
    const commit = /^# branch\.oid ([0-9a-f]+)$/m.exec(stdout)?.[1];
    // '(initial)': no commit yet, as `git rev-parse HEAD` failing meant before.
    if (commit === undefined) return null;
    return { commit, dirty: lines.some((line) => !line.startsWith('#')) };
  } catch {
    return null;
  }
}

/** A `.git` (directory, or file for worktrees and submodules) here or in a parent directory. */
async function insideGitWorkTree(start: string): Promise<boolean> {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      await access(join(dir, '.git'));
      return true;
    } catch {
      if (dirname(dir) === dir) return false;
    }
  }
}

async function lockfileHash(start: string): Promise<JsonValue> {
  for (let dir = start; ; dir = dirname(dir)) {
    for (const name of lockfiles) {
      try {
        const bytes = await readFile(join(dir, name));
        return { file: join(dir, name), sha256: createHash('sha256').update(bytes).digest('hex') };
      } catch {
        // not here; keep walking up
      }
    }
    if (dirname(dir) === dir) return null;
  }
}
