/**
 * Two metadata operations whose cost every `strata run` pays once per process, measured in-process on
 * each built checkout (its packages/metadata/dist), each in a fresh process, checkouts interleaved:
 *
 * 1. a cached re-run's look-ups: 100 `findCached` of completed steps whose cache parts carry a
 *    20-file code identity (the first pass, which a CLI process pays, then the median of 30 passes);
 * 2. creating a run: `createRun` with 500 step rows (the process's first call, then the median of 39)
 *    and with 1 (median of 40).
 *
 *   node --import tsx bench/metadata-hot-path.ts [--rounds 3] ROOT=label [ROOT=label ...]
 *
 * Without roots it measures this checkout (`pnpm build` first).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { artifactRecord, runRecord, stepRunRecord } from '../packages/metadata/src/testing/index.js';
import { median } from './peers/stats.js';

const { values, positionals } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, child: { type: 'string' } },
  allowPositionals: true,
});

interface Figures {
  lookupFirstMs: number;
  lookupMs: number;
  create500FirstMs: number;
  create500Ms: number;
  create1Ms: number;
}

/** Step `i` of a run, pending, as a run creates it. */
const stepOf = (runId: string, i: number) => stepRunRecord(`${runId}/s${i}`, runId, { nodeId: `s${i}` });

async function measure(root: string): Promise<Figures> {
  const { openSqliteDatabase } = (await import(
    join(root, 'packages/metadata/dist/index.js')
  )) as typeof import('../packages/metadata/src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'strata-metadata-hot-'));
  const db = await openSqliteDatabase(join(dir, 'store.db'));
  try {
    // Run creation first: its first call is the one a `strata run` process pays.
    const creates500: number[] = [];
    const creates1: number[] = [];
    for (let r = 0; r < 40; r++) {
      const t0 = performance.now();
      await db.createRun(
        runRecord(`r${r}`),
        Array.from({ length: 500 }, (_, i) => stepOf(`r${r}`, i)),
      );
      creates500.push(performance.now() - t0);
      const t1 = performance.now();
      await db.createRun(runRecord(`r${r}-one`), [stepOf(`r${r}-one`, 0)]);
      creates1.push(performance.now() - t1);
    }
    const files = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`src/f${i}.ts`, `${i}`.padEnd(64, '0')]),
    );
    await db.createRun(
      runRecord('done'),
      Array.from({ length: 100 }, (_, i) => stepOf('done', i)),
    );
    for (let i = 0; i < 100; i++) {
      const artifact = artifactRecord(`a${i}`, `done/s${i}`, {
        uri: `data:,${i}`,
        storeKey: '',
        kind: 'number',
        summary: { preview: String(i) },
      });
      await db.completeStepRun({
        stepRunId: `done/s${i}`,
        status: 'completed',
        patch: {
          cacheKey: `k${i}`,
          cacheParts: {
            code: 'c',
            files,
            packages: { zod: '4.1.12' },
            params: { i },
            inputs: { x: 'a'.repeat(64) },
            outputs: { x: 'json@1' },
            store: 'local:bench',
          },
          startedAt: 1,
          endedAt: 2,
        },
        artifacts: [artifact],
        events: [{ artifactId: artifact.id, type: 'output', name: 'x', position: 0 }],
        metadata: [],
      });
    }
    const lookups = async () => {
      const t = performance.now();
      for (let i = 0; i < 100; i++) if (!(await db.findCached(`k${i}`))) throw new Error(`no hit for k${i}`);
      return performance.now() - t;
    };
    const lookupFirstMs = await lookups();
    const passes: number[] = [];
    for (let p = 0; p < 30; p++) passes.push(await lookups());

    return {
      lookupFirstMs,
      lookupMs: median(passes),
      create500FirstMs: creates500[0]!,
      create500Ms: median(creates500.slice(1)),
      create1Ms: median(creates1),
    };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child) {
  process.stdout.write(JSON.stringify(await measure(values.child)));
} else {
  const checkouts = (
    positionals.length > 0 ? positionals : [`${resolve(import.meta.dirname, '..')}=this`]
  ).map((arg) => {
    const [root, label] = arg.split('=');
    return { root: resolve(root!), label: label ?? root! };
  });
  const results = new Map<string, Figures[]>(checkouts.map((c) => [c.label, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const c of round % 2 === 0 ? checkouts : [...checkouts].reverse()) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, import.meta.filename, '--child', c.root],
        {
          encoding: 'utf8',
        },
      );
      results.get(c.label)!.push(JSON.parse(out) as Figures);
    }
  }
  const ms = (label: string, key: keyof Figures, digits = 1) =>
    median(results.get(label)!.map((f) => f[key])).toFixed(digits);
  console.log(`${new Date().toISOString().slice(0, 16)} UTC, ${values.rounds} rounds, medians of the rounds`);
  console.log('');
  console.log(
    '| checkout | 100 look-ups, first pass | 100 look-ups, then | createRun(500), first | createRun(500), then | createRun(1) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const { label } of checkouts) {
    console.log(
      `| ${label} | ${ms(label, 'lookupFirstMs')} ms | ${ms(label, 'lookupMs', 2)} ms | ${ms(label, 'create500FirstMs')} ms | ${ms(label, 'create500Ms', 2)} ms | ${ms(label, 'create1Ms', 3)} ms |`,
    );
  }
}
