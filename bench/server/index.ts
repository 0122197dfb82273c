/**
 * `pnpm build && pnpm bench server [-- --runs 100000 --steps 1000 --requests 300]`: the Strata server
 * (the built `strata server start`, its own process) on a store with 100,000 runs and one run with
 * 1,000 steps, on SQLite and on PostgreSQL (a throwaway database on STRATA_TEST_POSTGRES_URL;
 * `source .services/env`). Per database:
 *  - p50/p99 of one sequential client: the runs list (50 per page: first page, a page 50,000 runs
 *    deep by cursor, one pipeline, one status), the 1,000-step run (run, steps, DAG);
 *  - the same queries in process (the Browse/StrataDatabase call the route makes, no HTTP), and a
 *    bare Hono hello-world plus the same page bytes served by bare Hono: the baselines;
 *  - SSE latency from a step's completion (commit returned) to its event on an open stream;
 *  - requests/s with 50 concurrent clients on the runs list, and of the bare Hono page;
 *  - the 200-client load test mix, then the server's RSS.
 * Figures and the machine they were taken on: docs/benchmarks.md ("Server").
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { browseOf, openDatabase, type SqlStrataDatabase } from '../../packages/metadata/src/index.js';
import { postgresTargets } from '../../packages/metadata/src/testing/index.js';
import { createServerTestProject } from '../../packages/server/src/testing/project.js';
import { startServerProcess } from '../../packages/server/src/testing/server-process.js';
import { cpuSeconds, inProcess, rss, sequential, throughput } from './measure.js';
import { BIG_RUN, seedStore } from './seed.js';
import { sseLatency } from './sse.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    steps: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '200' },
    only: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const STEPS = Number(values.steps);
const N = Number(values.requests);
const RPS_REQUESTS = 10 * N;
const round = (n: number, d = 2) => Number(n.toFixed(d));
let phaseStart = performance.now();
/** Progress on stderr, so a slow phase shows where the time goes. */
async function phase<T>(label: string, work: () => Promise<T>): Promise<T> {
  phaseStart = performance.now();
  const out = await work();
  console.error(`  ${label}: ${round((performance.now() - phaseStart) / 1000, 1)} s`);
  return out;
}

const fromServer = createRequire(join(import.meta.dirname, '../../packages/server/package.json'));
async function startHello(pageFile: string): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'hello.mjs')], {
    env: {
      ...process.env,
      HONO_URL: pathToFileURL(fromServer.resolve('hono')).href,
      HONO_NODE_URL: pathToFileURL(fromServer.resolve('@hono/node-server')).href,
      PAGE_FILE: pageFile,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').once('data', (d: string) => resolve(d.trim()));
    child.once('exit', (code) => reject(new Error(`hello server exited ${code}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function bench(name: 'sqlite' | 'postgres', databaseUrl: string | undefined) {
  const project = await createServerTestProject(databaseUrl);
  const storeUrl = databaseUrl ?? `${project.root}/.strata/strata.db`;
  const db = (await openDatabase(storeUrl)) as SqlStrataDatabase;
  const servers: { stop(): unknown }[] = [];
  try {
    const seeded = await seedStore(db, { runs: RUNS, bigSteps: STEPS });
    console.error(`[${name}] seeded ${RUNS} runs + a ${STEPS}-step run in ${round(seeded.seconds, 1)} s`);
    const server = await startServerProcess(project.root, { env: project.env });
    servers.push(server);
    const api = `${server.url}/api/v1`;
    const browse = browseOf(db);
    // a cursor half the store deep: the keyset of the run at that position (what nextCursor encodes)
    const middle = await db.getRun(`run-${String(Math.floor(RUNS / 2)).padStart(6, '0')}`);
    const deep = Buffer.from(JSON.stringify([middle!.createdAt, middle!.id])).toString('base64url');
    const pageFile = join(project.root, 'page.json');
    writeFileSync(pageFile, Buffer.from(await (await fetch(`${api}/runs?limit=50`)).arrayBuffer()));
    const hello = await startHello(pageFile);
    servers.push(hello);

    const http = {
      helloWorld: await phase('helloWorld', () => sequential(`${hello.url}/hello`, N)),
      sameBytesFromBareHono: await phase('sameBytesFromBareHono', () => sequential(`${hello.url}/page`, N)),
      runsFirstPage: await phase('runsFirstPage', () => sequential(`${api}/runs?limit=50`, N)),
      runsPage50000Deep: await phase('runsPage50000Deep', () =>
        sequential(`${api}/runs?limit=50&cursor=${deep}`, N),
      ),
      runsOfOnePipeline: await phase('runsOfOnePipeline', () =>
        sequential(`${api}/runs?limit=50&pipeline=pipeline-7`, N),
      ),
      runsFailed: await phase('runsFailed', () => sequential(`${api}/runs?limit=50&status=failed`, N)),
      bigRun: await phase('bigRun', () => sequential(`${api}/runs/${BIG_RUN}`, N)),
      bigRunSteps: await phase('bigRunSteps', () =>
        sequential(`${api}/runs/${BIG_RUN}/steps`, Math.ceil(N / 3)),
      ),
      bigRunDag: await phase('bigRunDag', () => sequential(`${api}/runs/${BIG_RUN}/dag`, Math.ceil(N / 3))),
    };
    const query = {
      runsFirstPage: await phase('runsFirstPage', () => inProcess(N, () => browse.searchRuns({ limit: 50 }))),
      runsPage50000Deep: await phase('runsPage50000Deep', () =>
        inProcess(N, () => browse.searchRuns({ limit: 50, cursor: deep })),
      ),
      bigRunSteps: await phase('bigRunSteps', () =>
        inProcess(Math.ceil(N / 3), () => db.listStepRuns(BIG_RUN)),
      ),
    };
    const sse = await phase('sse', () =>
      sseLatency(db, server.url, 60, 137).catch((e: Error) => ({ error: e.message, p99: Number.NaN })),
    );
    const cpuBefore = cpuSeconds(server.pid);
    const rps = {
      runsList50Clients: await phase('runsList50Clients', () =>
        throughput(api, ['/runs?limit=50'], 50, RPS_REQUESTS),
      ),
      bareHonoSamePage50Clients: await phase('bareHonoSamePage50Clients', () =>
        throughput(hello.url, ['/page'], 50, RPS_REQUESTS),
      ),
      bareHonoHello50Clients: await phase('bareHonoHello50Clients', () =>
        throughput(hello.url, ['/hello'], 50, RPS_REQUESTS),
      ),
    };
    const load = await phase('load200', () =>
      throughput(
        api,
        [
          '/runs?limit=50',
          '/runs/run-000007',
          '/runs/run-000007/steps',
          '/pipelines',
          '/runs?status=failed&limit=50',
        ],
        200,
        2000,
      ),
    );
    const memory = rss(server.pid);
    const serverCpuS = round(cpuSeconds(server.pid) - cpuBefore, 1);
    return {
      database: name,
      store: { runs: RUNS + 1, bigRunSteps: STEPS, seedSeconds: round(seeded.seconds, 1) },
      sequentialMs: http,
      inProcessMs: query,
      ratios: {
        runsFirstPageVsSameBytesFromBareHono: round(http.runsFirstPage.p50 / http.sameBytesFromBareHono.p50),
        runsFirstPageVsInProcessQuery: round(http.runsFirstPage.p50 / query.runsFirstPage.p50),
        bigRunStepsVsInProcessQuery: round(http.bigRunSteps.p50 / query.bigRunSteps.p50),
        rpsRunsListVsBareHonoSamePage: round(
          rps.runsList50Clients.requestsPerSecond / rps.bareHonoSamePage50Clients.requestsPerSecond,
        ),
      },
      sseLatencyMs: { ...sse, targetUnder300ms: sse.p99 < 300 },
      requestsPerSecond: rps,
      loadTest200Clients: { ...load, serverCpuSecondsDuringRpsAndLoad: serverCpuS },
      serverAfterLoadTest: memory,
      bareHonoRss: rss(hello.pid),
    };
  } finally {
    for (const s of servers) await s.stop();
    await db.close();
    await project.dispose();
  }
}

const results: unknown[] = [];
if (values.only !== 'postgres') results.push(await bench('sqlite', undefined));
if (values.only !== 'sqlite') {
  const serverUrl = process.env.STRATA_TEST_POSTGRES_URL;
  if (!serverUrl) throw new Error('STRATA_TEST_POSTGRES_URL is not set: `source .services/env` first');
  const targets = await postgresTargets(serverUrl);
  try {
    results.push(await bench('postgres', (await targets.next()).url));
  } finally {
    await targets.dispose();
  }
}
console.log(JSON.stringify({ loadavg: loadavg().map((l) => round(l, 1)), cores: 2, results }, null, 2));
