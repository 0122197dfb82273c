import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, ensureBuilt, type TempProject, workspace } from './temp-project.js';

/**
 * Self-repair as a user meets it: a blob with flipped bytes is caught, moved aside (quarantine) and
 * rewritten good by the producer's re-run; `strata doctor` finds corruption, leftovers and stuck runs
 * and `--repair` fixes what is safe; a vanished or truncated database is refused, never a fresh start.
 */
const fixture = join(workspace, 'packages/cli/src/e2e/fixtures/blob.pipeline.ts');
const STACK_LINE = /^\s+at .+[:(]/m;

describe('self-repair (built binary)', { timeout: 300_000 }, () => {
  let p: TempProject;

  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    await p.write('blob.ts', await readFile(fixture, 'utf8'));
    expect(p.strata('init').code).toBe(0);
  });
  afterAll(async () => {
    await p?.dispose();
  });

  /** The blob file of `produce`'s output in the local artifact store. */
  const producedBlob = () => {
    const listed = p.strata('artifacts', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const artifacts = JSON.parse(listed.stdout) as { id: string; uri: string; size: number }[];
    const big = artifacts.find((a) => a.size > 100_000)!;
    expect(big.uri.startsWith('file://')).toBe(true);
    return { id: big.id, file: new URL(big.uri).pathname };
  };
  const flip = (file: string) => {
    const bytes = readFileSync(file);
    bytes[1000] = bytes[1000]! ^ 0xff;
    writeFileSync(file, bytes);
  };
  const exportsGood = (id: string) => {
    const out = p.path(`out-${Date.now()}.txt`);
    const exported = p.strata('artifacts', 'export', id, out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('strata strata');
    return readFileSync(out);
  };

  it('a corrupt blob read back is quarantined; the re-run with --no-cache writes a good copy', async () => {
    expect(p.strata('run', 'blob.ts').code).toBe(0);
    const { id, file } = producedBlob();
    const good = readFileSync(file);
    flip(file);
    const read = p.strata('artifacts', 'export', id, p.path('bad.txt'));
    expect(read.code).toBe(2);
    expect(read.stderr).toMatch(/is corrupt: expected sha256 .* moved aside to .*quarantine/);
    expect(read.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(p.path('bad.txt'))).toBe(false);
    expect(existsSync(file)).toBe(false);
    const rerun = p.strata('run', 'blob.ts', '--no-cache');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(readFileSync(file).equals(good)).toBe(true);
    expect(exportsGood(id).length).toBeGreaterThan(0);
  });

  it('flipped bytes and a --no-cache re-run: the stored copy is verified, replaced, and reads back good', async () => {
    const { id, file } = producedBlob();
    const good = readFileSync(file);
    flip(file);
    const rerun = p.strata('run', 'blob.ts', '--no-cache');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(readFileSync(file).equals(good)).toBe(true);
    exportsGood(id);
    const quarantined = readdirSync(join(p.root, '.strata', 'artifacts', 'quarantine'));
    expect(quarantined.length).toBe(2);
  });

  it('strata doctor finds a corrupt blob and a spool leftover; --repair fixes them', async () => {
    const { file } = producedBlob();
    const good = readFileSync(file);
    flip(file);
    const spool = join(p.root, '.strata', 'artifacts', '.tmp');
    (await import('node:fs')).mkdirSync(spool, { recursive: true });
    writeFileSync(join(spool, 'left-over.part'), Buffer.alloc(4096));
    const checked = p.strata('doctor', '--full');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/ok\s+database SQLite integrity check: ok/);
    expect(checked.stdout).toMatch(/FAIL blobs\s+corrupt: /);
    expect(checked.stdout).toMatch(/FAIL temp\s+1 temporary leftovers \(4096 bytes\)/);
    expect(checked.stderr).toContain('strata doctor --repair');
    const repaired = p.strata('doctor', '--full', '--repair');
    expect(repaired.stdout).toMatch(/fixed blobs\s+corrupt: .*moved aside/);
    expect(repaired.stdout).toMatch(/fixed temp/);
    expect(existsSync(join(spool, 'left-over.part'))).toBe(false);
    expect(p.strata('run', 'blob.ts').code).toBe(0);
    expect(readFileSync(file).equals(good)).toBe(true);
    const clean = p.strata('doctor', '--full');
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
  });

  it('a database truncated to 0 bytes or gone is refused (exit 2, no stack trace), never a fresh start', async () => {
    const db = p.path('.strata', 'strata.db');
    const saved = readFileSync(db);
    for (const wal of ['-wal', '-shm']) if (existsSync(db + wal)) truncateSync(db + wal, 0);
    truncateSync(db, 0);
    const listed = p.strata('runs', 'list');
    expect(listed.code).toBe(2);
    expect(listed.stderr).toMatch(/is empty \(0 bytes\).*start a new, empty history/);
    expect(listed.stderr).toContain('stores.json');
    expect(listed.stderr).not.toMatch(STACK_LINE);
    expect(statSync(db).size).toBe(0);
    const run = p.strata('run', 'blob.ts');
    expect(run.code).toBe(2);
    writeFileSync(db, saved);
    expect(p.strata('runs', 'list').code).toBe(0);
  });
});
