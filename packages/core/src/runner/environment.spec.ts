import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/stack.js';
import { collectEnvironment } from './environment.js';

// collectEnvironment reads only these three fields of the stack.
const stackAt = (projectRoot: string) =>
  ({ projectRoot, name: 'default', components: {} }) as unknown as Stack;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    stdio: 'pipe',
  });

describe('collectEnvironment: git state', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records the commit, then dirty once a tracked file changes (from a subdirectory too)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-env-'));
    git(dir, 'init', '-q');
    await writeFile(join(dir, 'a.txt'), 'one\n');
    git(dir, 'add', 'a.txt');
    git(dir, 'commit', '-qm', 'first');
    const head = git(dir, 'rev-parse', 'HEAD').toString().trim();
    const clean = (await collectEnvironment(stackAt(dir))) as { git: unknown };
    expect(clean.git).toEqual({ commit: head, dirty: false });
    await writeFile(join(dir, 'untracked.txt'), 'not tracked: still clean\n');
    expect(((await collectEnvironment(stackAt(dir))) as { git: unknown }).git).toEqual({
      commit: head,
      dirty: false,
    });
    await writeFile(join(dir, 'a.txt'), 'two\n');
    execFileSync('mkdir', [join(dir, 'sub')]);
    expect(((await collectEnvironment(stackAt(join(dir, 'sub')))) as { git: unknown }).git).toEqual({
      commit: head,
      dirty: true,
    });
  });

  it('is null in a repository without commits and outside any repository', async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-env-'));
    expect(((await collectEnvironment(stackAt(dir))) as { git: unknown }).git).toBeNull();
    git(dir, 'init', '-q');
    expect(((await collectEnvironment(stackAt(dir))) as { git: unknown }).git).toBeNull();
  });
});
