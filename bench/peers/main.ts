/**
 * `pnpm bench:peers`: Strata side by side with ZenML and Metaflow on the same machine, in the same run
 * (issue 9). Installs the peers into an isolated venv when missing, prepares throw-away workspaces,
 * runs the five cases with the frameworks interleaved (so machine load hits all alike), and writes
 * bench/peers/results/latest.json, docs/benchmarks-peers.svg and the table in docs/benchmarks.md.
 *
 *   pnpm build && pnpm bench:peers [--reps 5] [--peer-reps 3] [--fanout-peer-reps 2] [--cli-reps 7]
 *                                  [--cases chain,fanout,fanout_wide,cached,train,cli] [--no-docs] [--keep]
 *   pnpm bench:peers --render-only    (table, chart and docs again from results/latest.json)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CASES, commandFor } from './cases.js';
import { type FixedCostResult, fixedCostMarkdown, measureFixedCost } from './fixed-cost.js';
import { runTimed } from './measure.js';
import { profileStrataRun } from './profile.js';
import { ensurePythonEnv, pythonVersions } from './python-env.js';
import { markdownTable, replaceBetween } from './report.js';
import type { CaseResult, PeerResults } from './results.js';
import {
  advantage,
  FRAMEWORKS,
  type Framework,
  marginalPerStep,
  median,
  meets,
  PER_STEP_TARGETS,
  type Sample,
  summarize,
} from './stats.js';
import { renderChart } from './svg.js';
import { HERE, prepareWorkspaces, ROOT, STRATA_BIN } from './workspaces.js';

const { values: opts } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    'peer-reps': { type: 'string', default: '3' },
    'fanout-peer-reps': { type: 'string', default: '2' },
    'cli-reps': { type: 'string', default: '7' },
    // Issue 22's figures (fixed-cost.ts): rounds of node -e 0, Strata's 1-step/cached/500-step runs
    // and the peers' smallest pipelines, interleaved; 0 skips them.
    'fixed-rounds': { type: 'string', default: '5' },
    cases: { type: 'string', default: CASES.map((c) => c.id).join(',') },
    'no-docs': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    // Re-render the table, chart and docs from results/latest.json without measuring again.
    'render-only': { type: 'boolean', default: false },
  },
});
const log = (line: string) => console.log(`[peers] ${line}`);

for (const built of [
  STRATA_BIN.replace('bin/strata.js', 'dist/index.bundle.js'),
  join(ROOT, 'packages/core/dist/index.bundle.js'),
]) {
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` first`);
}
const resultsDir = join(HERE, 'results');
const prior = opts['render-only']
  ? (JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as PeerResults)
  : undefined;
if (!prior) ensurePythonEnv(log);
const py = prior
  ? { ...prior.versions, python: prior.machine.python }
  : (pythonVersions() as Record<string, string | undefined>);
const strataVersion = (
  JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8')) as { version: string }
).version;
const versions: Record<string, string> = {
  strata: strataVersion,
  zenml: py.zenml!,
  metaflow: py.metaflow!,
  'scikit-learn': py['scikit-learn']!,
  pandas: py.pandas!,
  python: py.python!,
  node: process.version,
};
log(`versions ${JSON.stringify(versions)}`);

const selected = CASES.filter((c) =>
  prior ? prior.cases.some((p) => p.id === c.id) : opts.cases.split(',').includes(c.id),
);
const reps = (id: string, f: Framework): number => {
  if (CASES.find((c) => c.id === id)?.argv[f].length === 0) return 0;
  if (id === 'cli') return Number(opts['cli-reps']);
  if (f === 'strata') return Number(opts.reps);
  return Number(id === 'fanout' ? opts['fanout-peer-reps'] : opts['peer-reps']);
};

const samples = new Map<string, Sample[]>();
const accuracy: Partial<Record<Framework, number>> = {};
const rounds = Math.max(...selected.flatMap((c) => FRAMEWORKS.map((f) => reps(c.id, f))));
const command = prior?.command ?? `pnpm build && pnpm bench:peers ${process.argv.slice(2).join(' ')}`.trim();
for (const c of prior?.cases ?? [])
  for (const f of FRAMEWORKS) if (c.samples[f]) samples.set(`${c.id}/${f}`, c.samples[f]);
for (const f of FRAMEWORKS) {
  const acc = prior?.versions[`${f} accuracy`];
  if (acc !== undefined) accuracy[f] = Number(acc);
}

function results(): PeerResults {
  const loads = [...samples.values()].flat().map((s) => s.load);
  const cases: CaseResult[] = selected.map((spec) => {
    const byF = Object.fromEntries(FRAMEWORKS.map((f) => [f, samples.get(`${spec.id}/${f}`) ?? []]));
    const summary = Object.fromEntries(
      FRAMEWORKS.filter((f) => byF[f]!.length > 0).map((f) => [f, summarize(byF[f]!, spec.steps[f])]),
    );
    const adv: CaseResult['advantage'] = {};
    const targets: Record<string, { times: number; met: boolean }> = {};
    for (const p of ['zenml', 'metaflow'] as const) {
      if (!summary.strata || !summary[p]) continue;
      const a = {
        wall: advantage(summary.strata, summary[p], 'wall'),
        cpu: advantage(summary.strata, summary[p], 'cpu'),
      };
      (adv as Record<string, unknown>)[p] = a;
      const times = spec.targets[p];
      if (times !== undefined) targets[p] = { times, met: meets(a.wall, times) };
    }
    return {
      id: spec.id,
      title: spec.title,
      commands: Object.fromEntries(
        FRAMEWORKS.map((f) => [f, spec.argv[f].map((a) => a.replace(ROOT, '.')).join(' ')]),
      ),
      steps: spec.steps,
      samples: byF,
      summary,
      advantage: adv,
      targets,
    };
  });
  return {
    date: prior?.date ?? new Date().toISOString(),
    command,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      python: py.python!,
      os: `${os.type()} ${os.release()}`,
      load:
        loads.length > 0
          ? { min: Math.min(...loads), median: median(loads), max: Math.max(...loads) }
          : { min: 0, median: 0, max: 0 },
    },
    versions: {
      ...versions,
      ...Object.fromEntries(Object.entries(accuracy).map(([f, a]) => [`${f} accuracy`, a.toFixed(4)])),
    },
    cases,
    marginalMsPerStep: marginal(cases),
    perStepTargets: perStepTargets(marginal(cases)),
  };
}

/**
 * The per-step targets, judged on the marginal CPU cost: Strata runs a fan-out's steps 4 at a time,
 * so its wall cost per step hides work that CPU time shows (a ratio only when Strata's is above zero).
 */
function perStepTargets(m: PeerResults['marginalMsPerStep']): NonNullable<PeerResults['perStepTargets']> {
  const out: NonNullable<PeerResults['perStepTargets']> = {};
  const s = m.strata;
  for (const p of ['zenml', 'metaflow'] as const) {
    const q = m[p];
    if (!s || !q) continue;
    const ratio = s.cpu > 0 ? q.cpu / s.cpu : null;
    out[p] = { times: PER_STEP_TARGETS[p], ratio, met: ratio !== null && meets(ratio, PER_STEP_TARGETS[p]) };
  }
  return out;
}

function marginal(cases: readonly CaseResult[]): PeerResults['marginalMsPerStep'] {
  const out: Partial<Record<Framework, { wall: number; cpu: number }>> = {};
  for (const f of FRAMEWORKS) {
    const wide = f === 'strata' && cases.find((c) => c.id === 'fanout_wide')?.summary.strata;
    const [a, b] = wide
      ? [cases.find((c) => c.id === 'fanout'), cases.find((c) => c.id === 'fanout_wide')]
      : [cases.find((c) => c.id === 'chain'), cases.find((c) => c.id === 'fanout')];
    const sa = a?.summary[f];
    const sb = b?.summary[f];
    if (!sa || !sb) continue;
    const at = (of: 'wallMs' | 'cpuMs') =>
      marginalPerStep({ ms: sa[of], steps: a.steps[f]! }, { ms: sb[of], steps: b.steps[f]! });
    out[f] = { wall: at('wallMs'), cpu: at('cpuMs') };
  }
  return out;
}

mkdirSync(resultsDir, { recursive: true });
const save = (r: PeerResults) =>
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(r, null, 2)}\n`);

let prof = prior?.profile;
let fixedCost: FixedCostResult | undefined = prior?.fixedCost;
if (!prior) {
  const tmp = mkdtempSync(join(os.tmpdir(), 'strata-peers-'));
  log(`workspaces in ${tmp}`);
  const ws = prepareWorkspaces(tmp);
  // Not timed: seeds the caches case (c) re-runs (and Metaflow's flow list for case (e)).
  const chain = CASES.find((c) => c.id === 'chain')!;
  const cached = CASES.find((c) => c.id === 'cached')!;
  for (const [spec, f] of [
    [cached, 'strata'],
    [cached, 'zenml'],
    [chain, 'metaflow'],
  ] as const) {
    const { argv, cwd, env } = commandFor(spec, f, ws[f]);
    runTimed({ argv, cwd, env });
  }
  for (let round = 0; round < rounds; round++) {
    for (const spec of selected) {
      // Rotate who goes first, so no framework always runs right after a slow peer.
      const order = FRAMEWORKS.map((_, i) => FRAMEWORKS[(i + round) % FRAMEWORKS.length]!);
      for (const f of order) {
        if (round >= reps(spec.id, f)) continue;
        const sample = runTimed(commandFor(spec, f, ws[f]));
        const acc = /accuracy=(0\.\d+)/.exec(sample.output);
        if (spec.id === 'train' && acc) accuracy[f] = Number(acc[1]);
        const key = `${spec.id}/${f}`;
        samples.set(key, [
          ...(samples.get(key) ?? []),
          { wallMs: sample.wallMs, cpuMs: sample.cpuMs, load: sample.load },
        ]);
        log(
          `round ${round + 1} ${spec.id} ${f}: ${sample.wallMs.toFixed(0)} ms wall, ${sample.cpuMs.toFixed(0)} ms CPU, load ${sample.load.toFixed(1)}`,
        );
      }
    }
    save(results());
  }
  // Where Strata's time goes: one uncached chain run under the V8 profiler (not part of the medians).
  prof = profileStrataRun(chain.argv.strata, ws.strata.dir, ws.strata.env);
  if (Number(opts['fixed-rounds']) > 0) {
    fixedCost = measureFixedCost({
      checkouts: [{ root: ROOT, label: 'Strata' }],
      rounds: Number(opts['fixed-rounds']),
      peers: true,
      log,
    });
  }
  if (!opts.keep) rmSync(tmp, { recursive: true, force: true });
}
if (prof) {
  log(`profile of one Strata (a) run: ${prof.totalMs.toFixed(0)} ms profiled`);
  for (const b of prof.buckets.slice(0, 12))
    log(`  ${b.ms.toFixed(0).padStart(6)} ms  ${b.bucket} (${b.files} files)`);
  log('inclusive time by package (module loading charged to the importer):');
  for (const b of prof.inclusive ?? []) log(`  ${b.ms.toFixed(0).padStart(6)} ms  ${b.pkg}`);
}

const final: PeerResults = {
  ...results(),
  ...(prof ? { profile: prof } : {}),
  ...(fixedCost ? { fixedCost } : {}),
};
save(final);
const svg = renderChart(final);
const table = markdownTable(final);
console.log(`\n${table}\n`);
const fixedTable = final.fixedCost ? fixedCostMarkdown(final.fixedCost) : undefined;
if (fixedTable) console.log(`${fixedTable}\n`);
if (!opts['no-docs']) {
  writeFileSync(join(ROOT, 'docs/benchmarks-peers.svg'), svg);
  const docPath = join(ROOT, 'docs/benchmarks.md');
  const doc = readFileSync(docPath, 'utf8');
  const machine = `${final.machine.cpus} × ${final.machine.cpuModel}, ${final.machine.memGiB} GiB, ${final.machine.os}, Node ${final.machine.node}, Python ${final.machine.python}; 1-min load average during the run: ${final.machine.load.min.toFixed(1)}-${final.machine.load.max.toFixed(1)} (median ${final.machine.load.median.toFixed(1)})`;
  writeFileSync(
    docPath,
    replaceBetween(
      replaceBetween(
        fixedTable ? replaceBetween(doc, 'peers-fixed-cost', fixedTable) : doc,
        'peers-table',
        table,
      ),
      'peers-machine',
      `Measured ${final.date.slice(0, 16).replace('T', ' ')} UTC on ${machine}.`,
    ),
  );
  log('wrote docs/benchmarks-peers.svg and the table in docs/benchmarks.md');
}
