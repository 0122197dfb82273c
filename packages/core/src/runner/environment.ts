import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { JsonValue } from '../metadata/records.js';
import type { Stack } from '../stack/stack.js';
import { STRATA_VERSION } from '../version.js';

const run = promisify(execFile);
const lockfiles = ['pnpm-lock.yaml', 'package-lock.json', 'yarn.lock', 'bun.lockb'];

/** What a run needs to be reproduced: code version, dependency lock, runtime and stack (no secrets). */
export async function collectEnvironment(stack: Stack): Promise<JsonValue> {
  const [git, lockfile] = await Promise.all([gitState(stack.projectRoot), lockfileHash(stack.projectRoot)]);
  return {
    git,
    lockfile,
    node: process.version,
    strata: STRATA_VERSION,
    platform: `${process.platform}-${process.arch}`,
    stack: { name: stack.name, components: stack.components as unknown as JsonValue },
  };
}

async function gitState(cwd: string): Promise<JsonValue> {
  try {
    const [{ stdout: commit }, { stdout: status }] = await Promise.all([
      run('git', ['rev-parse', 'HEAD'], { cwd }),
      run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd }),
    ]);
    return { commit: commit.trim(), dirty: status.trim().length > 0 };
  } catch {
    return null;
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
