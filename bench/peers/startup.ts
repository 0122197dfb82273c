/**
 * Fixed start-up cost of `strata run`, before/after: one or more Strata checkouts (each with its own
 * built CLI) run the same trivial 10-step chain (`bench/peers/strata/chain.ts --no-cache` of that
 * checkout) in a throw-away project each, interleaved round by round so machine load hits all alike,
 * with `node -e 0` as the floor. Reports median wall and CPU (user + sys, /usr/bin/time) and the load.
 *
 *   node --import tsx bench/peers/startup.ts [--rounds 15] [--steps 10,110] ROOT_A=label ROOT_B=label
 *
 * Without roots it measures this checkout. `--steps` also runs chains of other lengths (generated
 * next to the checkout's chain.ts), so the fixed cost and the marginal cost per step can be told
 * apart: the intercept and slope of run time against steps.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runTimed } from './measure.js';
import { median } from './stats.js';
import { ROOT } from './workspaces.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '15' },
    steps: { type: 'string', default: '10' },
  },
});

const checkouts = (positionals.length > 0 ? positionals : [`${ROOT}=this checkout`]).map((p) => {
  const [root, label] = p.split('=') as [string, string | undefined];
  return { root: resolve(root), label: label ?? root };
});
const stepCounts = opts.steps.split(',').map(Number);
const tmp = mkdtempSync(join(tmpdir(), 'strata-startup-'));

/** A chain of `steps` steps for `root`, written beside its chain.ts (which imports the built SDK). */
function chainFile(root: string, steps: number): string {
  const base = join(root, 'bench/peers/strata/chain.ts');
  if (steps === 10) return base;
  const file = join(root, `bench/peers/strata/.chain-${steps}.ts`);
  writeFileSync(file, readFileSync(base, 'utf8').replace(/const STEPS = \d+;/, `const STEPS = ${steps};`));
  return file;
}

const cases = checkouts.flatMap((c, i) => {
  const dir = join(tmp, `p${i}`);
  mkdirSync(dir);
  const env = { PATH: process.env.PATH, HOME: dir, STRATA_PROJECT_ROOT: dir, NO_COLOR: '1' };
  const bin = join(c.root, 'packages/cli/bin/strata.js');
  execFileSync(process.execPath, [bin, 'init'], { cwd: dir, env, stdio: 'ignore' });
  return stepCounts.map((steps) => ({
    label: `${c.label}, ${steps} steps`,
    checkout: c.label,
    steps,
    command: {
      argv: [process.execPath, bin, 'run', chainFile(c.root, steps), '--no-cache'],
      cwd: dir,
      env,
      expect: /run r-\S+ completed/,
    },
  }));
});
const floor = {
  label: 'node -e 0',
  command: { argv: [process.execPath, '-e', '0'], cwd: tmp, env: { PATH: process.env.PATH } },
};

// One untimed run each: compile caches (Strata's TypeScript hooks, tsx) and the page cache warm up.
for (const c of cases) runTimed(c.command);

const samples = new Map<string, { wall: number[]; cpu: number[]; load: number[] }>();
const rounds = Number(opts.rounds);
for (let round = 0; round < rounds; round++) {
  const all = [floor, ...cases];
  for (let i = 0; i < all.length; i++) {
    const c = all[(i + round) % all.length]!;
    const s = runTimed(c.command);
    const entry = samples.get(c.label) ?? { wall: [], cpu: [], load: [] };
    entry.wall.push(s.wallMs);
    entry.cpu.push(s.cpuMs);
    entry.load.push(s.load);
    samples.set(c.label, entry);
  }
  process.stderr.write(`round ${round + 1}/${rounds}, load ${loadavg()[0]!.toFixed(1)}\n`);
}
rmSync(tmp, { recursive: true, force: true });
for (const c of checkouts)
  for (const steps of stepCounts) if (steps !== 10) rmSync(chainFile(c.root, steps), { force: true });

const loads = [...samples.values()].flatMap((s) => s.load);
const row = (label: string) => {
  const s = samples.get(label)!;
  return { label, wall: median(s.wall), wallMin: Math.min(...s.wall), cpu: median(s.cpu) };
};
const floorRow = row(floor.label);
const lines = [
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${rounds} rounds, 1-min load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} (median ${median(loads).toFixed(1)})`,
  '',
  '| command | wall median ms | wall min ms | CPU median ms | CPU above `node -e 0` ms |',
  '|---|---:|---:|---:|---:|',
  `| \`node -e 0\` | ${floorRow.wall.toFixed(0)} | ${floorRow.wallMin.toFixed(0)} | ${floorRow.cpu.toFixed(0)} | - |`,
];
for (const c of cases) {
  const r = row(c.label);
  lines.push(
    `| \`strata run\` ${r.label} | ${r.wall.toFixed(0)} | ${r.wallMin.toFixed(0)} | ${r.cpu.toFixed(0)} | ${(r.cpu - floorRow.cpu).toFixed(0)} |`,
  );
}
if (stepCounts.length > 1) {
  const [lo, hi] = [Math.min(...stepCounts), Math.max(...stepCounts)];
  lines.push(
    '',
    '| checkout | marginal wall ms/step | marginal CPU ms/step | fixed wall ms (intercept) | fixed CPU ms |',
  );
  lines.push('|---|---:|---:|---:|---:|');
  for (const c of checkouts) {
    const a = row(`${c.label}, ${lo} steps`);
    const b = row(`${c.label}, ${hi} steps`);
    const wallSlope = (b.wall - a.wall) / (hi - lo);
    const cpuSlope = (b.cpu - a.cpu) / (hi - lo);
    lines.push(
      `| ${c.label} | ${wallSlope.toFixed(1)} | ${cpuSlope.toFixed(1)} | ${(a.wall - lo * wallSlope).toFixed(0)} | ${(a.cpu - lo * cpuSlope).toFixed(0)} |`,
    );
  }
}
console.log(lines.join('\n'));
