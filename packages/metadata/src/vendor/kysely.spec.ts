import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..');

/** Every .ts file under packages/metadata/src. */
async function sources(): Promise<string[]> {
  const entries = await readdir(src, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('kysely is imported through vendor/kysely.ts only', () => {
  it('no other file imports kysely directly (that would load the ~260 unbundled modules again)', async () => {
    const direct: string[] = [];
    for (const file of await sources()) {
      if (file.endsWith(join('vendor', 'kysely.ts'))) continue;
      if (/from ['"]kysely(\/[^'"]*)?['"]/.test(await readFile(file, 'utf8'))) direct.push(file);
    }
    expect(direct).toEqual([]);
  });

  it('the re-export is kysely itself (the same classes, the same sql tag)', async () => {
    const vendored = await import('./kysely.js');
    const kysely = await import('kysely');
    expect(vendored.Kysely).toBe(kysely.Kysely);
    expect(vendored.sql).toBe(kysely.sql);
  });
});
