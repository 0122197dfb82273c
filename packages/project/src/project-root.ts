import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The project root: STRATA_PROJECT_ROOT if set, else the nearest ancestor of `cwd` holding `.strata/`,
 * else the nearest holding a package.json, else `cwd` itself.
 */
export function findProjectRoot(cwd = process.cwd()): string {
  if (process.env.STRATA_PROJECT_ROOT) return resolve(process.env.STRATA_PROJECT_ROOT);
  const start = resolve(cwd);
  for (const marker of ['.strata', 'package.json']) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, marker))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  return start;
}
