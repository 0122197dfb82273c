import { readdirSync, realpathSync, statSync, utimesSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheExplanation } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempProject, ensureBuilt, type TempProject, workspace } from './temp-project.js';

/**
 * What invalidates a step, through the built `strata run` in fresh processes each time (the code
 * identity and the fast-path memo are per process: only a new process proves what is remembered).
 */
const PIPELINE = `import { pipeline, source, step, t } from '@strata/core';
import { tag } from 'fake-dep';
import { factor } from './helper.js';

const scale = step({
  name: 'scale',
  inputs: { data: t.source() },
  outputs: { v: t.json() },
  run: ({ data }) => ({ v: { factor: factor(), tag, files: data.fingerprint.count } }),
});

export default pipeline({ name: 'invalidation', body: () => { scale({ data: source('data', { glob: '*.csv' }) }); } });
`;

let p: TempProject;

async function depVersion(version: string): Promise<void> {
  const dir = p.path('node_modules', 'fake-dep');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'fake-dep', version, type: 'module', main: 'index.js' }),
  );
  await writeFile(join(dir, 'index.js'), "export const tag = 'dep';\n");
}

beforeAll(async () => {
  ensureBuilt();
  p = await createTempProject();
  // A real node_modules (not the symlink): the examples' packages linked one by one, plus a package
  // of our own whose version the test bumps.
  const shared = join(workspace, 'examples/quickstart/node_modules');
  await rm(p.path('node_modules'));
  await mkdir(p.path('node_modules/@strata'), { recursive: true });
  for (const name of readdirSync(shared)) {
    if (name.startsWith('.')) continue;
    if (name === '@strata') {
      for (const inner of readdirSync(join(shared, name)))
        await symlink(realpathSync(join(shared, name, inner)), p.path('node_modules/@strata', inner));
    } else {
      await symlink(realpathSync(join(shared, name)), p.path('node_modules', name));
    }
  }
  await depVersion('1.0.0');
  await mkdir(p.path('data'));
  await p.write('data/a.csv', 'x\n1\n2\n');
  await p.write('helper.ts', 'export const factor = () => 10;\n');
  await p.write('unrelated.ts', 'export const nothing = 1;\n');
  await p.write('pipeline.ts', PIPELINE);
  expect(p.strata('init').code).toBe(0);
});
afterAll(async () => {
  await p?.dispose();
});

function run(): { status: string; reason: string; runId: string } {
  const result = p.strata('run', 'pipeline.ts');
  expect(result.code, result.stderr + result.stdout).toBe(0);
  const runs = JSON.parse(p.strata('runs', 'list', '--json').stdout) as { id: string }[];
  const runId = runs[0]!.id;
  const shown = JSON.parse(p.strata('runs', 'show', runId, '--json').stdout) as {
    steps: { nodeId: string; status: string; cacheReason: string }[];
  };
  const step = shown.steps.find((s) => s.nodeId === 'scale')!;
  return { status: step.status, reason: step.cacheReason, runId };
}

describe('what invalidates a step, through strata run', { timeout: 600_000 }, () => {
  it('hits when nothing changed, and an unrelated file edit is still a hit', async () => {
    expect(run().status).toBe('completed');
    expect(run().status).toBe('cached');
    await p.write('unrelated.ts', 'export const nothing = 2;\n');
    expect(run().status).toBe('cached');
  });

  it('an edited imported helper is a miss naming the file; cache explain shows the parts and the diff', async () => {
    await p.write('helper.ts', 'export const factor = () => 100;\n');
    const edited = run();
    expect(edited.status).toBe('completed');
    expect(edited.reason).toContain('helper.ts edited');
    const explained = p.strata('cache', 'explain', edited.runId, 'scale', '--json');
    expect(explained.code, explained.stderr).toBe(0);
    const e = JSON.parse(explained.stdout) as CacheExplanation;
    expect(Object.keys(e.parts!.files!).some((f) => f.endsWith('helper.ts'))).toBe(true);
    expect(e.parts!.packages!['fake-dep']).toBe('1.0.0');
    expect(e.parts!.sources!.data!.uri).toBe('data');
    expect(e.parts!.outputs.v).toBeTruthy();
    expect(e.parts!.store).toBeTruthy();
    expect(e.previous?.runId).not.toBe(edited.runId);
    expect(e.changes.join('\n')).toContain('helper.ts edited');
    const text = p.strata('cache', 'explain', edited.runId, 'scale');
    expect(text.stdout).toMatch(/file\s+\S*helper\.ts/);
    expect(text.stdout).toMatch(/package\s+fake-dep\s+1\.0\.0/);
    expect(text.stdout).toContain('helper.ts edited');
    // runs show --json carries the same explanation per step run.
    const shown = JSON.parse(p.strata('runs', 'show', edited.runId, '--json').stdout) as {
      cache: Record<string, CacheExplanation>;
    };
    expect(shown.cache[`${edited.runId}/scale`]?.changes).toEqual(e.changes);
  });

  it('a file added to a source directory is a miss naming it', async () => {
    await p.write('data/b.csv', 'x\n3\n');
    const added = run();
    expect(added.status).toBe('completed');
    expect(added.reason).toContain('b.csv added');
    // Not matching the glob: still a hit.
    await p.write('data/notes.txt', 'not data');
    expect(run().status).toBe('cached');
  });

  it('a dependency version change is a miss naming the package', async () => {
    await depVersion('1.0.1');
    const bumped = run();
    expect(bumped.status).toBe('completed');
    expect(bumped.reason).toContain('package fake-dep changed (1.0.0 -> 1.0.1)');
  });

  it('a new process trusts the stat remembered in the store instead of rehashing', async () => {
    const file = p.path('data/a.csv');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(file, old, old);
    // A file changed (ctime) within a second of its hash is hashed again: let that second pass first.
    await new Promise((done) => setTimeout(done, 1_100));
    // A new stat: hashed again (same bytes, so still a hit) and the new stat remembered.
    expect(run().status).toBe('cached');
    const hashedAt = await rememberedHashedAt(file);
    expect(hashedAt).toBeGreaterThan(0);
    // Nothing changed: the next strata process finds the stat remembered and does not hash the file
    // again (hashing would remember a later hashedAt).
    expect(run().status).toBe('cached');
    expect(await rememberedHashedAt(file)).toBe(hashedAt);
  });

  it('a same-size rewrite with the old mtime set back (touch -d, cp -p) is a miss: ctime moved', async () => {
    const file = p.path('data/a.csv');
    const { mtime, size } = statSync(file);
    await p.write('data/a.csv', 'x\n7\n8\n');
    utimesSync(file, mtime, mtime);
    expect(statSync(file).size).toBe(size);
    const rewritten = run();
    expect(rewritten.status).toBe('completed');
    expect(rewritten.reason).toContain('source data changed');
  });
});

/** When the store last hashed `file` (the fast-path memo's row), read the way a new process reads it. */
async function rememberedHashedAt(file: string): Promise<number | undefined> {
  const { openDatabase } = await import('@strata/metadata');
  const { hostname } = await import('node:os');
  const db = await openDatabase(p.path('.strata/strata.db'));
  try {
    return (await db.rememberedDigest(`${hostname()}:${file}`))?.hashedAt;
  } finally {
    await db.close();
  }
}

describe('undeclared reads, through strata run', { timeout: 300_000 }, () => {
  it('are shown at the end of the run (stderr), not only stored in the logs', async () => {
    await p.write('notes.txt', 'hello\n');
    await p.write(
      'reads.ts',
      `import { readFileSync } from 'node:fs';
import { pipeline, step, t } from '@strata/core';
const readNotes = step({ name: 'read_notes', outputs: { text: t.string() }, run: () => ({ text: readFileSync('notes.txt', 'utf8') }) });
export default pipeline({ name: 'reads', body: () => { readNotes(); } });
`,
    );
    const result = p.strata('run', 'reads.ts');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warn {2}read_notes: undeclared read: the step read .*notes\.txt/);
    expect(result.stdout).toMatch(/completed$/m);
  });
});
