/**
 * Dashboard benchmark: a real project whose store holds 10,000 runs (one real quickstart run, and
 * its run and step rows copied 10,000 times with new ids, so every row points at a real snapshot),
 * plus a real 1,000-instance map run; `strata ui` serves it; Debian's Chromium loads the pages cold
 * (a new browser context each time: no cache) through playwright-core.
 *
 *  1. first meaningful paint of `/` and `/runs`: navigation start -> the runs table's first row,
 *     median of --repeat cold loads; target < 1 s. Baseline in the same script: the same browser
 *     navigating to the API's own tiny JSON document (`/api/v1/server`) on the same server, i.e.
 *     what any page costs here before the dashboard does anything.
 *     Also: `/runs?q=NAME`, a search the server answers over all 10,000 runs, to its first row.
 *  2. the run page of the 1,000-instance map: navigation -> the map node drawn; click on the node ->
 *     the first page of instances listed; next page -> listed.
 *  3. the JS the browser downloads, raw and gzip, per chunk (the budget is in docs/benchmarks.md
 *     and enforced by packages/dashboard/src/bundle-budget.spec.ts).
 *
 *   pnpm build && pnpm bench dashboard [-- --runs 10000 --repeat 7]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../packages/metadata/src/index.js';

// playwright-core is a dependency of packages/dashboard, not of the workspace root.
const fromDashboard = createRequire(join(import.meta.dirname, '../packages/dashboard/package.json'));
const playwright = (await import(pathToFileURL(fromDashboard.resolve('playwright-core')).href)) as {
  default?: typeof import('playwright-core');
} & typeof import('playwright-core');
const chromium = (playwright.default ?? playwright).chromium;

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, repeat: { type: 'string', default: '7' } },
});
const runCount = Number(values.runs);
const repeat = Number(values.repeat);
const root = join(import.meta.dirname, '..');
const bin = join(root, 'packages/cli/bin/strata.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (n: number) => Math.round(n);

const project = mkdtempSync(join(tmpdir(), 'strata-bench-dashboard-'));
writeFileSync(join(project, 'package.json'), '{ "name": "bench", "private": true, "type": "module" }\n');
const env = { ...process.env, STRATA_PROJECT_ROOT: project, NO_COLOR: '1' };
function strata(...args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: project, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`strata ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

let ui: ChildProcess | undefined;
const browser = await chromium.launch({
  executablePath: process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
try {
  strata('init');
  const real = JSON.parse(
    strata('run', join(root, 'examples/quickstart/pipeline.ts'), '--json').replace(/^[^{]*/, ''),
  ) as {
    id: string;
  };
  const wide = JSON.parse(
    strata(
      'run',
      join(root, 'packages/dashboard/src/e2e/fixtures/live.ts'),
      '--pipeline',
      'wide',
      '--json',
    ).replace(/^[^{]*/, ''),
  ) as { id: string };

  // 10,000 runs: copies of the real one, spread over the last 30 days.
  const db = await openDatabase(`sqlite:${join(project, '.strata/strata.db')}`);
  const run = await db.getRun(real.id);
  const steps = await db.listStepRuns(real.id);
  if (!run) throw new Error('the quickstart run is missing');
  const t0 = performance.now();
  const now = Date.now();
  for (let i = 0; i < runCount; i++) {
    const id = `r-bench-${String(i).padStart(6, '0')}`;
    const createdAt = now - 30 * 86_400_000 + Math.floor((i / runCount) * 30 * 86_400_000);
    const status = i % 10 === 3 ? 'failed' : 'completed';
    await db.createRun(
      {
        ...run,
        id,
        name: `quickstart-bench-${i}`,
        createdAt,
        startedAt: createdAt,
        endedAt: createdAt + 1500,
        status,
      },
      steps.map((s) => ({ ...s, id: `${id}/${s.nodeId}`, runId: id })),
    );
  }
  await db.close();
  const seeded = performance.now() - t0;

  const child = spawn(process.execPath, [bin, 'ui', '--no-open', '--port', '0'], {
    cwd: project,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  ui = child;
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Strata dashboard: (http:\/\/[^\s/]+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`strata ui exited ${code}`)));
  });

  /** Cold load of `path`: ms from navigation start until `selector` is in the page. */
  async function coldLoad(path: string, selector: string): Promise<number> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url + path, { waitUntil: 'commit' });
    await page.waitForSelector(selector, { timeout: 30_000 });
    const ms = await page.evaluate(() => performance.now());
    await context.close();
    return ms;
  }

  const baseline: number[] = [];
  const overview: number[] = [];
  const runsList: number[] = [];
  const searched: number[] = [];
  for (let i = 0; i < repeat; i++) {
    baseline.push(await coldLoad('/api/v1/server', 'body'));
    overview.push(await coldLoad('/', 'table.runs-table tbody tr'));
    runsList.push(await coldLoad('/runs', 'table.runs-table tbody tr'));
    // A search the server answers over every run (the name of the oldest copy, not on any first page).
    searched.push(await coldLoad('/runs?q=quickstart-bench-0', 'table.runs-table tbody tr'));
  }

  const mapDraw: number[] = [];
  const mapList: number[] = [];
  const mapNext: number[] = [];
  for (let i = 0; i < Math.min(repeat, 5); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/runs/${wide.id}`, { waitUntil: 'commit' });
    await page.waitForSelector('[data-node-id="square"]');
    mapDraw.push(await page.evaluate(() => performance.now()));
    let t = Date.now();
    await page.locator('[data-node-id="square"]').click();
    await page.getByRole('tab', { name: 'Instances (1000)' }).click();
    await page.getByRole('button', { name: '[99]' }).waitFor();
    mapList.push(Date.now() - t);
    t = Date.now();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByRole('button', { name: '[199]' }).waitFor();
    mapNext.push(Date.now() - t);
    await context.close();
  }

  const assets = join(root, 'packages/dashboard/dist/ui/assets');
  const chunks = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const bytes = readFileSync(join(assets, f));
      return { file: f, kb: round(bytes.length / 1024), gzipKb: round(gzipSync(bytes).length / 1024) };
    })
    .sort((a, b) => b.kb - a.kb);

  const b = median(baseline);
  console.log(
    JSON.stringify(
      {
        runs: runCount + 2,
        seededMs: round(seeded),
        loadavg: loadavg().map((x) => Number(x.toFixed(1))),
        baselineJsonPageMs: round(b),
        firstPaintOverviewMs: {
          median: round(median(overview)),
          all: overview.map(round),
          ratioToBaseline: Number((median(overview) / b).toFixed(1)),
        },
        firstPaintRunsMs: {
          median: round(median(runsList)),
          all: runsList.map(round),
          ratioToBaseline: Number((median(runsList) / b).toFixed(1)),
        },
        searchRunsMs: {
          median: round(median(searched)),
          ratioToBaseline: Number((median(searched) / b).toFixed(1)),
        },
        map1000: {
          drawMs: round(median(mapDraw)),
          nodeClickToInstancesMs: round(median(mapList)),
          nextPageMs: round(median(mapNext)),
        },
        chunks,
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  ui?.kill('SIGTERM');
  rmSync(project, { recursive: true, force: true });
}
