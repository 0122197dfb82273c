import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const workspace = join(import.meta.dirname, '../../../..');

/** Every non-spec .ts source file of the workspace's packages and integrations. */
async function sources(): Promise<string[]> {
  const files: string[] = [];
  for (const group of ['packages', 'integrations']) {
    for (const pkg of await readdir(join(workspace, group))) {
      const src = join(workspace, group, pkg, 'src');
      const entries = await readdir(src, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const e of entries)
        if (e.isFile() && /\.tsx?$/.test(e.name) && !e.name.includes('.spec.'))
          files.push(join(e.parentPath, e.name));
    }
  }
  return files;
}

describe('inversify is imported through core/src/vendor/inversify.ts only', () => {
  it('no other source file imports inversify (a second copy: unbundled modules, and modules from one copy in a container of another)', async () => {
    const direct: string[] = [];
    for (const file of await sources()) {
      if (file.endsWith(join('core', 'src', 'vendor', 'inversify.ts'))) continue;
      if (/from ['"](inversify|@inversifyjs\/[^'"]+)['"]/.test(await readFile(file, 'utf8')))
        direct.push(file);
    }
    expect(direct).toEqual([]);
  });

  it('hosts get the same Container as the plugins modules are made for', async () => {
    const plugin = await import('../plugin.js');
    const inversify = await import('inversify');
    expect(plugin.Container).toBe(inversify.Container);
  });
});
