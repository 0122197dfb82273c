/**
 * Issue 22's two figures, each Strata checkout against `node -e 0` and (optionally) the peers, in the
 * same interleaved rounds:
 *
 * 1. fixed cost: `strata run one.ts` (a 1-step TypeScript pipeline, uncached) in wall time above
 *    `node -e 0`, and a fully cached re-run of a 100-step chain end to end;
 * 2. per step: the CPU slope of a 500-step chain and of a 500-wide `map` against the 1-step run,
 *    ((CPU of N steps) - (CPU of 1 step)) / (N - 1).
 *
 * Pipelines are written into a throw-away project per checkout and import `@strata/core` by package
 * name, as a user's do (the project's node_modules is a link to the checkout's examples/quickstart
 * node_modules, as in the CLI's e2e temp projects), so the step code identity hashes the user's file
 * and a package version, not the SDK's own files.
 *
 *   node --import tsx bench/peers/fixed-cost.ts [--rounds 7] [--peers] [ROOT=label ...]
 *
 * `pnpm bench:peers` runs it with `--peers` (ZenML's and Metaflow's smallest pipelines in the same
 * rounds). Without roots it measures this checkout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Command, runTimed } from './measure.js';
import { PYTHON } from './python-env.js';
import { median } from './stats.js';
import { prepareWorkspaces, ROOT } from './workspaces.js';

const CHAIN = 500;
const MAP = 500;
const CACHED = 100;

const chainSource = (name: string, steps: number) => `import { pipeline, step, t } from '@strata/core';

const start = step({ name: 'start', outputs: { x: t.number() }, run: () => ({ x: 0 }) });
const inc = step({
  name: 'inc',
  inputs: { x: t.number() },
  outputs: { x: t.number() },
  run: ({ x }) => ({ x: x + 1 }),
});

export const chain = pipeline({
  name: '${name}',
  body: () => {
    let { x } = start();
    for (let i = 1; i < ${steps}; i++) x = inc({ x }, { id: \`inc_\${i}\` }).x;
  },
});
`;

const mapSource = `import { pipeline, step, t } from '@strata/core';

const items = step({
  name: 'items',
  outputs: { list: t.json<number[]>() },
  run: () => ({ list: Array.from({ length: ${MAP} }, (_, i) => i) }),
});
const square = step({
  name: 'square',
  inputs: { i: t.number() },
  outputs: { y: t.number() },
  run: ({ i }) => ({ y: i * i }),
});

export const map = pipeline({
  name: 'bench_map',
  body: () => {
    const { list } = items();
    square.map('i', { i: list });
  },
});
`;

export interface Checkout {
  readonly root: string;
  readonly label: string;
}

interface Case {
  readonly label: string;
  readonly command: Command;
}

export interface FixedCostRow {
  readonly label: string;
  readonly wallMs: number;
  readonly wallMinMs: number;
  readonly cpuMs: number;
}

export interface FixedCostResult {
  readonly date: string;
  readonly rounds: number;
  readonly load: { min: number; median: number; max: number };
  readonly rows: readonly FixedCostRow[];
  /** Per checkout: the four figures. */
  readonly figures: readonly {
    checkout: string;
    fixedWallAboveNodeMs: number;
    cachedWallMs: number;
    chainCpuMsPerStep: number;
    mapCpuMsPerStep: number;
  }[];
}

function strataProject(tmp: string, checkout: Checkout, index: number) {
  const dir = join(tmp, `strata-${index}`);
  mkdirSync(dir);
  const env = { PATH: process.env.PATH, HOME: dir, STRATA_PROJECT_ROOT: dir, NO_COLOR: '1' };
  const bin = join(checkout.root, 'packages/cli/bin/strata.js');
  execFileSync(process.execPath, [bin, 'init'], { cwd: dir, env, stdio: 'ignore' });
  symlinkSync(join(checkout.root, 'examples/quickstart/node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'one.ts'), chainSource('bench_one', 1));
  writeFileSync(join(dir, 'chain100.ts'), chainSource('bench_chain_100', CACHED));
  writeFileSync(join(dir, 'chain500.ts'), chainSource('bench_chain_500', CHAIN));
  writeFileSync(join(dir, 'map500.ts'), mapSource);
  const run = (file: string, expect: RegExp, ...flags: string[]): Command => ({
    argv: [process.execPath, bin, 'run', file, ...flags],
    cwd: dir,
    env,
    expect,
  });
  return {
    seed: run('chain100.ts', /completed/),
    cases: [
      { label: `${checkout.label}: 1 step`, command: run('one.ts', /completed\s+start/, '--no-cache') },
      {
        label: `${checkout.label}: ${CACHED}-step chain, all cached`,
        command: run('chain100.ts', new RegExp(`cached\\s+inc_${CACHED - 1}\\b`)),
      },
      {
        label: `${checkout.label}: ${CHAIN}-step chain`,
        command: run('chain500.ts', new RegExp(`completed\\s+inc_${CHAIN - 1}\\b`), '--no-cache'),
      },
      {
        label: `${checkout.label}: ${MAP}-wide map`,
        command: run('map500.ts', /run r-\S+ completed/, '--no-cache'),
      },
    ] satisfies Case[],
  };
}

/** ZenML's and Metaflow's smallest pipelines (ZenML: one step; Metaflow: start and end). */
function peerCases(tmp: string): Case[] {
  // (prepareWorkspaces copies one.py and one_flow.py in with the peers' other files.)
  const ws = prepareWorkspaces(join(tmp, 'peers'));
  return [
    {
      label: 'ZenML: 1 step',
      command: {
        argv: [PYTHON, 'one.py'],
        cwd: ws.zenml.dir,
        env: ws.zenml.env,
        expect: /Pipeline run has finished/,
      },
    },
    {
      label: 'Metaflow: start + end',
      command: {
        argv: [PYTHON, 'one_flow.py', 'run'],
        cwd: ws.metaflow.dir,
        env: ws.metaflow.env,
        expect: /Done!/,
      },
    },
  ];
}

export function measureFixedCost(options: {
  checkouts: readonly Checkout[];
  rounds: number;
  peers: boolean;
  log: (line: string) => void;
}): FixedCostResult {
  const tmp = mkdtempSync(join(tmpdir(), 'strata-fixed-'));
  try {
    const projects = options.checkouts.map((c, i) => strataProject(tmp, c, i));
    const floor: Case = {
      label: 'node -e 0',
      command: { argv: [process.execPath, '-e', '0'], cwd: tmp, env: { PATH: process.env.PATH } },
    };
    const cases: Case[] = [floor, ...projects.flatMap((p) => p.cases)];
    if (options.peers) cases.push(...peerCases(tmp));
    // Not timed: fills the cache the cached case re-reads, and warms compile caches and the page cache.
    for (const p of projects) runTimed(p.seed);
    for (const c of cases) runTimed(c.command);

    const samples = new Map<string, { wall: number[]; cpu: number[] }>();
    const loads: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(i + round) % cases.length]!;
        const s = runTimed(c.command);
        loads.push(s.load);
        const entry = samples.get(c.label) ?? { wall: [], cpu: [] };
        entry.wall.push(s.wallMs);
        entry.cpu.push(s.cpuMs);
        samples.set(c.label, entry);
      }
      options.log(`fixed cost: round ${round + 1}/${options.rounds}, load ${loadavg()[0]!.toFixed(1)}`);
    }
    const rows = cases.map((c) => {
      const s = samples.get(c.label)!;
      return { label: c.label, wallMs: median(s.wall), wallMinMs: Math.min(...s.wall), cpuMs: median(s.cpu) };
    });
    const row = (label: string) => rows.find((r) => r.label === label)!;
    const figures = options.checkouts.map((c) => {
      const one = row(`${c.label}: 1 step`);
      return {
        checkout: c.label,
        fixedWallAboveNodeMs: one.wallMs - row(floor.label).wallMs,
        cachedWallMs: row(`${c.label}: ${CACHED}-step chain, all cached`).wallMs,
        chainCpuMsPerStep: (row(`${c.label}: ${CHAIN}-step chain`).cpuMs - one.cpuMs) / (CHAIN - 1),
        // The map run has MAP + 1 steps (items and its MAP instances): MAP more than the 1-step run.
        mapCpuMsPerStep: (row(`${c.label}: ${MAP}-wide map`).cpuMs - one.cpuMs) / MAP,
      };
    });
    return {
      date: new Date().toISOString(),
      rounds: options.rounds,
      load: { min: Math.min(...loads), median: median(loads), max: Math.max(...loads) },
      rows,
      figures,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const TARGETS = { fixed: 250, cached: 300, chain: 0.25, map: 0.15 };

export function fixedCostMarkdown(r: FixedCostResult): string {
  const verdict = (value: number, target: number) => (value <= target ? 'met' : '**missed**');
  const lines = [
    `${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.rounds} interleaved rounds, 1-min load average ${r.load.min.toFixed(1)}-${r.load.max.toFixed(1)} (median ${r.load.median.toFixed(1)})`,
    '',
    '| command | wall median ms | wall min ms | CPU median ms |',
    '|---|---:|---:|---:|',
    ...r.rows.map(
      (row) =>
        `| ${row.label} | ${row.wallMs.toFixed(0)} | ${row.wallMinMs.toFixed(0)} | ${row.cpuMs.toFixed(0)} |`,
    ),
    '',
    `| checkout | 1-step run, wall above \`node -e 0\` (≤ ${TARGETS.fixed} ms) | cached ${CACHED}-step re-run, wall (≤ ${TARGETS.cached} ms) | CPU per step, ${CHAIN}-step chain (≤ ${TARGETS.chain} ms) | CPU per step, ${MAP}-wide map (≤ ${TARGETS.map} ms) |`,
    '|---|---:|---:|---:|---:|',
    ...r.figures.map(
      (f) =>
        `| ${f.checkout} | ${f.fixedWallAboveNodeMs.toFixed(0)} ms ${verdict(f.fixedWallAboveNodeMs, TARGETS.fixed)} | ${f.cachedWallMs.toFixed(0)} ms ${verdict(f.cachedWallMs, TARGETS.cached)} | ${f.chainCpuMsPerStep.toFixed(3)} ms ${verdict(f.chainCpuMsPerStep, TARGETS.chain)} | ${f.mapCpuMsPerStep.toFixed(3)} ms ${verdict(f.mapCpuMsPerStep, TARGETS.map)} |`,
    ),
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { rounds: { type: 'string', default: '7' }, peers: { type: 'boolean', default: false } },
  });
  const checkouts = (positionals.length > 0 ? positionals : [`${ROOT}=this checkout`]).map((p) => {
    const [root, label] = p.split('=') as [string, string | undefined];
    return { root: resolve(root), label: label ?? root };
  });
  const result = measureFixedCost({
    checkouts,
    rounds: Number(values.rounds),
    peers: values.peers,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(fixedCostMarkdown(result));
}
