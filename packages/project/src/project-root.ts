import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The project root: STRATA_PROJECT_ROOT if set, else the nearest ancestor of `cwd` holding `.strata/`,
 * else the nearest holding a package.json, else `cwd` itself. The search for `.strata/` stops at the
 * repository boundary (a directory holding `.git`): a stray `.strata/` above the checkout, in /tmp
 * or a home directory, must not capture a project's runs.
 */
export function findProjectRoot(cwd = process.cwd()): string {
  if (process.env.STRATA_PROJECT_ROOT) return resolve(process.env.STRATA_PROJECT_ROOT);
  const start = resolve(cwd);
  let firstPackage: string | undefined;
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.strata'))) return dir;
    if (!firstPackage && existsSync(join(dir, 'package.json'))) firstPackage = dir;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  return firstPackage ?? start;
}
