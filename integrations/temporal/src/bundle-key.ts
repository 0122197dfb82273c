import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The key of a cached workflow bundle: the Temporal SDK version (the bundler injects its own runtime,
 * so the same sources bundle differently under another SDK) plus the path and content of every file
 * webpack read for the bundle. A file that no longer exists makes the key `undefined` (rebundle).
 */
export async function bundleKey(files: readonly string[], sdkVersion: string): Promise<string | undefined> {
  const hash = createHash('sha256').update(`temporal-sdk ${sdkVersion}\n`);
  for (const file of [...files].sort()) {
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      return undefined;
    }
    hash.update(`${file}\n${content.length}\n`).update(content);
  }
  return hash.digest('hex').slice(0, 32);
}

/** The version of the installed `@temporalio/worker` (its bundler) and `@temporalio/workflow` (the runtime). */
export async function temporalSdkVersion(): Promise<string> {
  const require = createRequire(import.meta.url);
  const versions: string[] = [];
  for (const pkg of ['@temporalio/worker', '@temporalio/workflow']) {
    // Neither package exports its package.json; find it beside the resolved entry point.
    let dir = dirname(require.resolve(pkg));
    for (;;) {
      try {
        const json = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
          name?: unknown;
          version?: unknown;
        };
        if (json.name === pkg) {
          versions.push(`${pkg}@${String(json.version)}`);
          break;
        }
      } catch {
        // no package.json at this level
      }
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`cannot find the package.json of ${pkg}`);
      dir = parent;
    }
  }
  return versions.join(' ');
}
