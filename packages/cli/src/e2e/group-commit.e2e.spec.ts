import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, createTempProject, ensureBuilt, type TempProject } from './temp-project.js';

/**
 * Group commit (docs/reliability.md, "When a step counts as completed") under kill -9, through the built `strata run`: a long chain of
 * short steps is killed mid-run, at a moment the test does not choose. Whatever the window lost,
 * - every step the progress display printed as completed is recorded completed (nothing is reported
 *   before its commit);
 * - the recorded completions are a prefix of the chain (a step is never committed before its upstream);
 * - the resume reuses exactly those steps and runs the rest, to the right result.
 */
const CHAIN = 3000;
const PIPELINE = `import { pipeline, step, t } from '@strata/core';

const start = step({ name: 'start', outputs: { x: t.number() }, run: () => ({ x: 0 }) });
const inc = step({
  name: 'inc',
  inputs: { x: t.number() },
  outputs: { x: t.number() },
  run: ({ x }) => ({ x: x + 1 }),
});

export default pipeline({
  name: 'long_chain',
  body: () => {
    let { x } = start();
    for (let i = 1; i < ${CHAIN}; i++) x = inc({ x }, { id: \`inc_\${i}\` }).x;
  },
});
`;

interface Shown {
  readonly run: { status: string };
  readonly steps: { nodeId: string; status: string; cacheReason: string | null }[];
}

describe('group commit: kill -9 mid-run of a long chain (built binary)', { timeout: 600_000 }, () => {
  let p: TempProject;

  beforeAll(async () => {
    ensureBuilt();
    p = await createTempProject();
    await p.write('chain.ts', PIPELINE);
    expect(p.strata('init').code).toBe(0);
  });
  afterAll(async () => {
    await p?.dispose();
  });

  /** The run's step rows, read from the store (`runs show --json` of 3,000 steps is a lot of output). */
  const show = async (id: string): Promise<Shown> => {
    const { openDatabase } = await import('@strata/metadata');
    const db = await openDatabase(p.path('.strata/strata.db'));
    try {
      return { run: { status: (await db.getRun(id))!.status }, steps: await db.listStepRuns(id) };
    } finally {
      await db.close();
    }
  };
  /** `inc_<i>` is step i of the chain, `start` step 0. */
  const position = (nodeId: string) => (nodeId === 'start' ? 0 : Number(nodeId.slice('inc_'.length)));

  it('loses no reported step, commits in chain order, and the resume reuses exactly what was committed', async () => {
    const child = spawn(process.execPath, [bin, 'run', 'chain.ts'], {
      cwd: p.root,
      env: { ...process.env, STRATA_PROJECT_ROOT: p.root, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = once(child, 'exit');
    // Killed once the display has printed a few hundred completed steps: mid-run, between commits or not.
    const printedCompleted = () => [...stdout.matchAll(/^\s+completed\s+(\S+)/gm)].map((m) => m[1]!);
    const end = Date.now() + 120_000;
    while (printedCompleted().length < 300 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exited;
    const reported = printedCompleted();
    expect(reported.length).toBeGreaterThanOrEqual(300);
    const id = /run (r-[a-z0-9]+-[a-z0-9]+)/.exec(stdout)?.[1];
    expect(id, stdout.slice(0, 500)).toBeDefined();

    const killed = await show(id!);
    expect(killed.steps).toHaveLength(CHAIN);
    const committed = killed.steps.filter((s) => s.status === 'completed').map((s) => position(s.nodeId));
    // The kill was mid-run: some steps recorded, not all.
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.length).toBeLessThan(CHAIN);
    // Every step reported completed is recorded completed.
    const recorded = new Set(killed.steps.filter((s) => s.status === 'completed').map((s) => s.nodeId));
    expect(reported.filter((node) => !recorded.has(node))).toEqual([]);
    // A prefix of the chain: steps 0 .. k-1, no gap.
    expect([...committed].sort((a, b) => a - b)).toEqual(committed.map((_, i) => i));

    const resumed = p.strata('runs', 'resume', id!);
    expect(resumed.code, resumed.stdout.slice(-2000) + resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`inc_${CHAIN - 1}\\b.*x=${CHAIN - 1}\\b`));
    const newId = /run (r-[a-z0-9]+-[a-z0-9]+) completed/.exec(resumed.stdout)?.[1];
    expect(newId).toBeDefined();
    const after = await show(newId!);
    const reused = after.steps.filter((s) => s.status === 'cached');
    expect(reused.every((s) => s.cacheReason?.includes('(resume)'))).toBe(true);
    // Exactly the committed steps were reused; every other one ran again.
    expect(reused.map((s) => position(s.nodeId)).sort((a, b) => a - b)).toEqual(committed.map((_, i) => i));
    expect(after.steps.filter((s) => s.status === 'completed')).toHaveLength(CHAIN - committed.length);
  });
});
