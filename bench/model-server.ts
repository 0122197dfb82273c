/**
 * Model server latency and throughput on loopback, against calling predictRows in the same process.
 * Trains the penguins model (examples/penguins) on a throw-away project, serves penguins@production
 * and drives it with a closed-loop load generator (a bounded number of requests, N in flight).
 *
 *   pnpm tsc -b tsconfig.build.json && node --import tsx bench/model-server.ts [--requests 2000] [--concurrency 8]
 *
 * Runs on the built packages (dist). Prints a Markdown table for docs/benchmarks.md.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MODEL, penguins } from '../examples/penguins/pipeline.js';
import type { ModelRegistry } from '../packages/core/dist/index.js';
import { loadModelVersion, predictRows, rowsOf, serveModel } from '../packages/ml/dist/index.js';
import { openStack } from '../packages/project/dist/index.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const requests = arg('requests', 2000);
const concurrency = arg('concurrency', 8);
const batchSizes = [1, 10, 100, 1000];

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (x: number) => x.toFixed(3);

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
function post(url: URL, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Closed loop: `concurrency` workers send `count` requests in total; returns per-request latencies. */
async function load(
  url: URL,
  body: string,
  count: number,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        await post(url, body);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - start) / 1000 };
}

const root = await mkdtemp(join(tmpdir(), 'strata-bench-serve-'));
await mkdir(join(root, '.strata'));
process.env.STRATA_PROJECT_ROOT = root;
// The example pipeline is typed against the sources, the bench imports the built packages: one object, two declarations.
const stack = (await openStack({ cwd: root })) as never;
try {
  const run = await (await penguins.run({ stack })).wait();
  if (run.status !== 'completed') throw new Error(`training run ${run.status}`);
  const registry = (stack as { extras: Map<string, unknown> }).extras.get('model_registry') as ModelRegistry;
  const { bundle } = await loadModelVersion(
    registry,
    (stack as { artifactStore: never }).artifactStore,
    `${MODEL}@production`,
  );
  const { readDataset } = await import('../packages/ml/dist/index.js');
  const { vegaDataFile } = await import('../examples/penguins/data.js');
  const all = rowsOf((await readDataset(vegaDataFile('penguins.json'))).table).filter(
    (r) => r.Species !== null,
  );
  const rowsFor = (n: number) => Array.from({ length: n }, (_, i) => all[i % all.length]!);

  const server = await serveModel(stack, { model: `${MODEL}@production`, options: { pollMs: 0 } });
  const url = new URL(`${server.url}/predict`);
  await load(url, JSON.stringify({ rows: rowsFor(1) }), 200); // warm-up

  const lines = [
    `Model server benchmark: penguins random forest (${bundle.hyperParameters.nEstimators ?? 50} trees), ${requests} requests per row, ${concurrency} in flight, loopback, node ${process.version}.`,
    '',
    '| batch rows | in-process predictRows p50 ms | HTTP p50 ms | HTTP p99 ms | HTTP requests/s | HTTP rows/s | in-process rows/s | overhead per request (p50) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of batchSizes) {
    const rows = rowsFor(size);
    const count = Math.max(50, Math.round(requests / Math.sqrt(size)));
    const direct: number[] = [];
    const directStart = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await predictRows(bundle, rows);
      direct.push(performance.now() - t0);
    }
    const directSeconds = (performance.now() - directStart) / 1000;
    direct.sort((a, b) => a - b);
    const http = await load(url, JSON.stringify({ rows }), count);
    const p50 = quantile(http.latencies, 0.5);
    lines.push(
      `| ${size} | ${ms(quantile(direct, 0.5))} | ${ms(p50)} | ${ms(quantile(http.latencies, 0.99))} | ${Math.round(count / http.seconds)} | ${Math.round((count * size) / http.seconds)} | ${Math.round((count * size) / directSeconds)} | ${ms(p50 - quantile(direct, 0.5))} ms |`,
    );
  }
  console.log(lines.join('\n'));
  await server.stop();
} finally {
  agent.destroy();
  await (stack as { close(): Promise<void> }).close();
  await rm(root, { recursive: true, force: true });
}
