import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the running Strata's own packages are. Strata's packages are not on the npm registry, so a
 * project of a user's own (README.md, "Your own project") may have none installed: its pipeline file
 * then imports the running Strata's copies (pipeline-module.ts), and an error about a missing one
 * names the folder to `pnpm add` instead of a registry name that does not exist.
 */

/**
 * The folders @strata/… packages resolve from: this package's (@strata/core, metadata, local) and
 * that of the command that started the process (the CLI's: ml, temporal, server).
 */
export function strataDirs(): string[] {
  const dirs = [fileURLToPath(new URL('.', import.meta.url))];
  const command = process.argv[1];
  if (command) {
    try {
      dirs.push(dirname(realpathSync(command)));
    } catch {}
  }
  return dirs;
}

/**
 * The folder of the running Strata's package NAME: one it has installed, else one of its checkout
 * (`integrations/s3` for @strata/s3, which no package of the CLI depends on).
 */
export function strataPackageDir(name: string): string | undefined {
  for (const dir of strataDirs()) {
    const found = installedBelow(dir, name);
    if (found) return found;
  }
  return checkoutPackages().get(name);
}

/**
 * The @strata/… packages of the running Strata's checkout (name -> folder): `packages/*` and
 * `integrations/*` beside the @strata/core it runs with.
 */
export function checkoutPackages(): Map<string, string> {
  const found = new Map<string, string>();
  const core = strataDirs()
    .map((dir) => installedBelow(dir, '@strata/core'))
    .find((dir) => dir !== undefined);
  if (!core) return found;
  const checkout = dirname(dirname(core));
  for (const group of ['packages', 'integrations']) {
    let entries: string[];
    try {
      entries = readdirSync(join(checkout, group));
    } catch {
      continue;
    }
    for (const entry of entries) {
      try {
        const pkg = JSON.parse(readFileSync(join(checkout, group, entry, 'package.json'), 'utf8')) as {
          name?: unknown;
        };
        if (typeof pkg.name === 'string' && pkg.name.startsWith('@strata/'))
          found.set(pkg.name, join(checkout, group, entry));
      } catch {}
    }
  }
  return found;
}

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
export function packageName(specifier: string): string {
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

/** What to `pnpm add` for a missing package: a Strata one is the running Strata's folder, else its name. */
export function packageToAdd(specifier: string): string {
  const name = packageName(specifier);
  return (name.startsWith('@strata/') ? strataPackageDir(name) : undefined) ?? name;
}

/** node_modules/NAME in `dir` or the first folder above it that has one, as Node finds a package. */
export function nodeModulesLink(name: string, dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, 'node_modules', name);
    try {
      statSync(candidate);
      return candidate;
    } catch {}
    if (dirname(at) === at) return undefined;
  }
}

function installedBelow(dir: string, name: string): string | undefined {
  const link = nodeModulesLink(name, dir);
  return link === undefined ? undefined : realpathSync(link);
}
