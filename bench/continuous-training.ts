/**
 * `pnpm bench continuous-training`: the agent's costs (docs/benchmarks.md, "Continuous training").
 * 1. one tick over 1,000 schedules, cold (a fresh agent: every trigger's (name, updated_at, due_at) read, only
 *    the due rows parsed) and warm (nothing due), against reading and parsing every trigger row (the
 *    baseline: what a fresh agent read before due_at);
 * 2. idle CPU of a running agent with 100 schedules and 10 watched folders, against an idle Node timer;
 * 3. latency from a file landing in a watched folder to its firing's run being launched;
 * 4. latency from an object landing in an S3 prefix (the loopback MinIO of scripts/services, polled every
 *    second) to its firing's run being launched (target: the poll interval plus under 1 s).
 * The load average is printed before and after: the figures mean little without it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { s3SourceFingerprinter } from '../integrations/s3/src/source-fingerprint.js';
import { ensureS3Bucket, rawS3, s3TestConfig } from '../integrations/s3/src/test-server.js';
import type { Stack } from '../packages/core/src/index.js';
import { SourceFingerprints, type TriggerRecord } from '../packages/core/src/plugin.js';
import { openDatabase } from '../packages/metadata/src/index.js';
import {
  Agent,
  initialScheduleCursor,
  localSourceVersion,
  type RunLauncher,
  sourceLocation,
  sourceVersion,
} from '../packages/project/src/index.js';

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`load average at start: ${load()}`);
const s3 = process.env.STRATA_TEST_S3_ENDPOINT ? s3TestConfig() : undefined;

const dir = mkdtempSync(join(tmpdir(), 'strata-bench-ct-'));
const db = await openDatabase(`sqlite:${join(dir, 'strata.db')}`);
const stack = {
  name: 'bench',
  projectRoot: dir,
  database: db,
  orchestrator: { flavor: 'local' },
  extras: new Map(),
  // s3:// prefixes are fingerprinted by the s3 plugin, with the loopback server's endpoint and keys.
  sources: new SourceFingerprints({
    projectRoot: dir,
    fingerprinters: [s3SourceFingerprinter],
    ...(s3 ? { store: { flavor: 's3', config: s3 as unknown as Record<string, unknown> } } : {}),
  }),
} as unknown as Stack;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
const now = Date.now();
const schedule = (i: number): TriggerRecord =>
  withCursor({
    name: `s${i}`,
    kind: 'schedule',
    target: { module: 'p.ts', pipeline: 'p', params: {} },
    condition:
      i % 2
        ? {
            kind: 'schedule',
            cron: `${i % 60} ${i % 24} * * *`,
            timezone: i % 3 ? 'UTC' : 'Europe/Berlin',
            jitterMs: 0,
            catchUp: 'one',
          }
        : {
            kind: 'schedule',
            every: `${10 + (i % 50)}m`,
            timezone: 'UTC',
            jitterMs: 60_000,
            catchUp: 'skip',
          },
    overlap: 'skip',
    paused: false,
    firedBy: 'agent',
    cursor: null,
    createdAt: now,
    updatedAt: now,
  });
/** The cursor createTrigger stores for a new schedule (its next due time beside the anchor). */
function withCursor(t: TriggerRecord): TriggerRecord {
  return t.condition.kind === 'schedule'
    ? { ...t, cursor: { ...initialScheduleCursor(t.name, t.condition, t.createdAt) } }
    : t;
}
const launched: number[] = [];
const launcher: RunLauncher = { launch: async () => void launched.push(performance.now()) };

// 1. 1,000 schedules in one tick.
for (let i = 0; i < 1000; i++) await db.createTrigger(schedule(i));
const agent = new Agent({ stack, launcher, log: () => {} });
const base: number[] = [];
const warm: number[] = [];
let t = performance.now();
await agent.tick(now + 1000);
const first = performance.now() - t;
// A fresh agent's first tick (no rows, calendars or next-due times cached): what every agent start pays.
// Nothing is due at now + 1 s: the stamps say so, and no row is read.
const cold: number[] = [];
// CPU time of the same ticks: on a loaded machine the wall time also counts waiting for a core.
const coldCpu: number[] = [];
for (let i = 0; i < 15; i++) {
  const fresh = new Agent({ stack, launcher, log: () => {} });
  const cpu0 = process.cpuUsage();
  t = performance.now();
  await fresh.tick(now + 1000);
  cold.push(performance.now() - t);
  const used = process.cpuUsage(cpu0);
  coldCpu.push((used.user + used.system) / 1000);
  await fresh.stop();
}
for (let i = 0; i < 15; i++) {
  t = performance.now();
  await db.listTriggers();
  base.push(performance.now() - t);
  t = performance.now();
  await agent.tick(now + 2000 + i);
  warm.push(performance.now() - t);
}
const b = median(base);
console.log(
  `1,000 schedules: cold tick (a fresh agent's first) ${median(cold).toFixed(1)} ms median of 15, p90 ${p90(cold).toFixed(1)} (${Math.min(...cold).toFixed(1)}-${Math.max(...cold).toFixed(1)}), the process's very first ${first.toFixed(1)} ms; its CPU time ${median(coldCpu).toFixed(1)} ms median, max ${Math.max(...coldCpu).toFixed(1)}; warm tick ${median(warm).toFixed(1)} ms median of 15; baseline listTriggers (read + parse 1,000 rows) ${b.toFixed(1)} ms -> cold/baseline ${(median(cold) / b).toFixed(2)}, warm/baseline ${(median(warm) / b).toFixed(2)}`,
);
await agent.stop();
for (let i = 100; i < 1000; i++) await db.deleteTrigger(`s${i}`);

// 2. Idle CPU: 100 schedules + 10 watched folders, the agent loop running with a 1 s tick.
for (let i = 0; i < 10; i++) {
  mkdirSync(join(dir, `in${i}`));
  const source = `in${i}/*.csv`;
  await db.createTrigger({
    ...schedule(2000 + i),
    name: `d${i}`,
    overlap: 'allow',
    kind: 'new_data',
    condition: { kind: 'new_data', source, param: 'data', pollMs: 5000 },
    cursor: (await localSourceVersion(sourceLocation(source), dir)) as never,
  });
}
const seconds = Number(process.env.STRATA_BENCH_IDLE_S ?? 20);
const idleTimer = setInterval(() => {}, 1000);
let c0 = process.cpuUsage();
let w0 = performance.now();
await new Promise((r) => setTimeout(r, 3000));
const timerOnly = process.cpuUsage(c0);
const timerPct = ((timerOnly.user + timerOnly.system) / 1000 / (performance.now() - w0)) * 100;
clearInterval(idleTimer);
const running = new Agent({
  stack,
  launcher,
  tickMs: 1000,
  log: (l) => {
    if (process.env.STRATA_BENCH_DEBUG) console.error(l);
  },
}).start();
await new Promise((r) => setTimeout(r, 2000));
c0 = process.cpuUsage();
w0 = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const used = process.cpuUsage(c0);
const pct = ((used.user + used.system) / 1000 / (performance.now() - w0)) * 100;
console.log(
  `idle agent, 100 schedules + 10 watched folders, ${seconds} s: ${pct.toFixed(2)}% of one core (idle Node timer baseline ${timerPct.toFixed(2)}%)`,
);

// 3. A file landing in a watched folder -> the run launched (agent running, fs.watch + settle).
const latencies: number[] = [];
for (let i = 0; i < 5; i++) {
  const before = launched.length;
  const landed = performance.now();
  writeFileSync(join(dir, 'in3', `file-${i}.csv`), 'x\n1\n');
  while (launched.length === before) await new Promise((r) => setTimeout(r, 5));
  latencies.push(launched.at(-1)! - landed);
  await new Promise((r) => setTimeout(r, 300));
}
console.log(
  `file landing -> run launched: median ${median(latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms over 5 files (target < 2000 ms; strata run's own start-up comes on top, see "CLI start-up")`,
);

// 4. An object landing in an S3 prefix -> the run launched (polled every second; no watcher exists).
if (s3) {
  await ensureS3Bucket(s3);
  const bucket = rawS3(s3);
  const body = join(dir, 'object.csv');
  writeFileSync(body, 'x\n1\n');
  const prefix = `bench-ct-${Date.now().toString(36)}`;
  const source = `s3://${s3.bucket}/${prefix}/`;
  await db.createTrigger({
    ...schedule(3000),
    name: 'd-s3',
    overlap: 'allow',
    kind: 'new_data',
    condition: { kind: 'new_data', source, param: 'data', pollMs: 1000 },
    cursor: (await sourceVersion(source, stack)) as never,
  });
  await new Promise((r) => setTimeout(r, 1500));
  const objectLatencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = launched.length;
    // Land at a different phase of the poll each time.
    await new Promise((r) => setTimeout(r, 170 * i));
    await bucket.upload(body, `${prefix}/day-${i}.csv`);
    // Landed: the upload returned, the object is listable.
    const landed = performance.now();
    while (launched.length === before) await new Promise((r) => setTimeout(r, 5));
    objectLatencies.push(launched.at(-1)! - landed);
  }
  console.log(
    `object landing in s3:// (1 s poll) -> run launched: median ${median(objectLatencies).toFixed(0)} ms, max ${Math.max(...objectLatencies).toFixed(0)} ms over 5 objects (target < 1000 ms + 1000 ms poll)`,
  );
} else {
  console.log('object landing in s3://: not measured (STRATA_TEST_S3_* not set: source .services/env)');
}
await running.stop();
console.log(`load average at end: ${load()}`);
await db.close();
rmSync(dir, { recursive: true, force: true });
