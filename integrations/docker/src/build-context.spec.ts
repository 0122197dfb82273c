import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CachedDigest, collectContext, strataOutsideWorkspace } from './build-context.js';

// The image's digest cache is kept between runs in .strata/docker: a stale digest means a container
// runs code the user has already changed.
describe('collectContext digest cache', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'strata-context-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const digestOf = async (cache: Map<string, CachedDigest>) => {
    const entries = await collectContext({ root, exclude: [], includeNodeModules: false, cache });
    return entries.find((e) => e.path === 'step.ts')?.digest;
  };
  /** Pretends the remembered digest was taken a minute ago, as by an earlier `strata run`. */
  const age = (cache: Map<string, CachedDigest>) => {
    for (const [k, v] of cache) cache.set(k, { ...v, hashedAt: v.hashedAt - 60_000 });
  };

  it('reads an unchanged, settled file once, then trusts the remembered digest', async () => {
    const file = join(root, 'step.ts');
    writeFileSync(file, 'export const a = 1;\n');
    const old = new Date(Date.now() - 120_000);
    utimesSync(file, old, old);
    const cache = new Map<string, CachedDigest>();
    expect(await digestOf(cache)).toMatch(/^[0-9a-f]{64}$/);
    // As if hashed a few seconds after the write (ctime, unlike mtime, cannot be set back here). A wrong
    // remembered digest comes back only when the cache is trusted: proves the file is not read again.
    const remembered = cache.get('step.ts')!;
    cache.set('step.ts', { ...remembered, digest: 'remembered', hashedAt: Date.now() + 5000 });
    expect(await digestOf(cache)).toBe('remembered');
  });

  it('reads again a same-size rewrite whose mtime was set back (cp -p, tar -x, touch -d)', async () => {
    const file = join(root, 'step.ts');
    writeFileSync(file, 'export const a = 1;\n');
    const old = new Date(Date.now() - 120_000);
    utimesSync(file, old, old);
    const cache = new Map<string, CachedDigest>();
    const before = await digestOf(cache);
    age(cache);
    writeFileSync(file, 'export const a = 2;\n');
    utimesSync(file, old, old);
    const after = await digestOf(cache);
    expect(after).not.toBe(before);
    expect(cache.get('step.ts')!.digest).toBe(after);
  });

  it('reads again a file hashed in the same second it was written', async () => {
    const file = join(root, 'step.ts');
    writeFileSync(file, 'export const a = 1;\n');
    const cache = new Map<string, CachedDigest>();
    await digestOf(cache);
    cache.set('step.ts', { ...cache.get('step.ts')!, digest: 'remembered' });
    expect(await digestOf(cache)).not.toBe('remembered');
  });

  it('reads again an entry remembered before hashedAt was kept', async () => {
    const file = join(root, 'step.ts');
    writeFileSync(file, 'export const a = 1;\n');
    const info = statSync(file);
    const legacy = {
      size: info.size,
      mtimeMs: info.mtimeMs,
      ino: info.ino,
      digest: 'remembered',
    } as CachedDigest;
    const cache = new Map([['step.ts', legacy]]);
    expect(await digestOf(cache)).not.toBe('remembered');
  });
});

describe('strataOutsideWorkspace', () => {
  const checkout = join(import.meta.dirname, '../../..');
  const entry = join(checkout, 'packages/project/dist/step-entry.bundle.js');
  const command = ['/usr/bin/node', '--import', 'tsx', entry];

  // A sibling of the checkout: neither holds the other wherever the checkout is (CI clones it under /tmp).
  const elsewhere = join(checkout, '..', 'someone-elses-project');

  it("names the running Strata's checkout for a project of the user's own elsewhere", () => {
    expect(strataOutsideWorkspace(command, elsewhere)).toBe(checkout);
  });

  it('is undefined for a project inside the checkout, or without a step command', () => {
    expect(strataOutsideWorkspace(command, checkout)).toBeUndefined();
    expect(strataOutsideWorkspace(command, join(checkout, 'examples/quickstart'))).toBeUndefined();
    expect(strataOutsideWorkspace(undefined, elsewhere)).toBeUndefined();
  });
});
