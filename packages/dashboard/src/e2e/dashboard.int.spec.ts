/**
 * The dashboard in a real browser (Debian's Chromium, headless, through playwright-core) against a
 * real `strata ui` server on a real project whose runs were made by real pipelines: the quickstart,
 * the standard ML pipeline on the penguins (statistics, validation, evaluation, a registered model),
 * a 1,000-instance map, and a pipeline that waits for a signal so a test can watch it finish live.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, type StrataClient } from '@strata/server/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProject,
  fixtures,
  launchBrowser,
  type Project,
  requirePrerequisites,
  runPipeline,
  screenshot,
  startUi,
  watchErrors,
  workspace,
} from './harness.js';

let project: Project;
let browser: Browser;
let url: string;
let client: StrataClient;
let ui: ChildProcess;

/** Stops `strata ui` and starts it again (the server picks its authentication mode at start). */
async function restartUi(): Promise<void> {
  if (ui.exitCode === null) {
    const exited = new Promise((r) => ui.once('exit', r));
    ui.kill('SIGTERM');
    await exited;
  }
  ({ url, child: ui } = await startUi(project));
}
const runs: Record<string, string> = {};
const snapshots: Record<string, string> = {};

beforeAll(async () => {
  requirePrerequisites();
  project = await createProject();
  runs.quickstart = runPipeline(project, join(workspace, 'examples/quickstart/pipeline.ts'));
  runs.quickstart2 = runPipeline(project, join(workspace, 'examples/quickstart/pipeline.ts'), [
    '--param',
    'trees=40',
  ]);
  runs.penguins = runPipeline(project, join(workspace, 'examples/penguins/pipeline.ts'));
  runs.penguins2 = runPipeline(project, join(workspace, 'examples/penguins/pipeline.ts'), ['--no-cache']);
  runs.cars = runPipeline(project, join(workspace, 'examples/cars-regression/pipeline.ts'));
  runs.wide = runPipeline(project, fixtures, ['--pipeline', 'wide']);
  runs.broken = runPipeline(project, fixtures, ['--pipeline', 'broken'], 1);
  runs.showcase = runPipeline(project, fixtures, ['--pipeline', 'showcase']);
  // A schedule fired once by hand (its firing is queued: no agent runs here), a paused one, and an
  // event trigger: the overview shows when each fires next and what its last firing did.
  for (const args of [
    ['schedule', 'create', fixtures, '--pipeline', 'wide', '--every', '1h', '--name', 'hourly-wide'],
    [
      'schedule',
      'create',
      fixtures,
      '--pipeline',
      'wide',
      '--cron',
      '0 3 * * *',
      '--name',
      'nightly',
      '--paused',
    ],
    ['schedule', 'trigger', 'hourly-wide'],
    ['trigger', 'create', fixtures, '--pipeline', 'showcase', '--on', 'run-completion', '--after', 'wide'],
  ]) {
    const r = project.strata(...args);
    if (r.code !== 0) throw new Error(`strata ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  }
  ({ url, child: ui } = await startUi(project));
  client = createClient({ baseUrl: url });
  snapshots.quickstart = (await client.run(runs.quickstart)).snapshotId;
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await project?.dispose();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(url + path);
  return { page, errors };
}

describe('every page loads without console errors', () => {
  const pages: [string, () => string, string][] = [
    ['overview', () => '/', 'Recent runs'],
    ['pipelines', () => '/pipelines', 'quickstart'],
    ['runs', () => '/runs', 'Older →'],
    ['run', () => `/runs/${runs.quickstart}`, 'load_penguins'],
    ['models', () => '/models', 'penguins'],
    ['model', () => '/models/penguins', 'Alias timeline'],
    [
      'compare',
      () => `/compare?runs=${runs.quickstart},${runs.quickstart2}&pipeline=quickstart`,
      'Parameters',
    ],
    ['pipeline', () => '/pipelines/quickstart', 'Snapshots'],
    ['snapshot', () => `/snapshots/${snapshots.quickstart}`, 'Runs of this snapshot'],
    ['stacks', () => '/stacks', 'default'],
    ['settings', () => '/settings', 'Signed in as'],
    ['not-found', () => '/no/such/page', 'Page not found'],
  ];
  for (const [name, path, text] of pages) {
    it(`${name} (${name === 'run' ? '/runs/:id' : ''})`, async () => {
      const { page, errors } = await open(path());
      await page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });
      // Pages with a live stream never go network-idle: wait for the stream instead.
      if ((await page.locator('.live').count()) > 0) await page.locator('.live-on').waitFor();
      else await page.waitForLoadState('networkidle');
      await screenshot(page, name);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe('run page', () => {
  it('draws the quickstart DAG with its four nodes, all completed', async () => {
    const { page, errors } = await open(`/runs/${runs.quickstart}`);
    const nodes = page.locator('.dag-node');
    await nodes.first().waitFor();
    const ids = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(ids.sort()).toEqual(['evaluate', 'load_penguins', 'split', 'train']);
    const statuses = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['completed']));
    // Selecting a step shows its parameters, cache decision and reason.
    await page.locator('[data-node-id="train"]').click();
    await page.getByText('miss: first run of `train`').waitFor();
    await expect.poll(() => page.url()).toContain('step=train');
    await screenshot(page, 'run-quickstart');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('turns a running node completed without a reload, tailing its log meanwhile', async () => {
    const signal = join(project.root, 'signal');
    const child = project.spawnStrata('run', fixtures, '--pipeline', 'live', '--param', `file=${signal}`);
    let runId: string | undefined;
    for (let i = 0; i < 120 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 500));
      runId = (await client.runs({ pipeline: 'live' })).items[0]?.id;
    }
    expect(runId).toBeDefined();
    const { page, errors } = await open(`/runs/${runId}?step=wait_for_signal`);
    const node = page.locator('[data-node-id="wait_for_signal"]');
    await expect.poll(() => node.getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
    // Code run in the page: globalThis is its window.
    await page.evaluate(() => {
      (globalThis as unknown as { marker: number }).marker = 42;
    });
    await page.getByRole('tab', { name: 'Logs' }).click();
    const logs = page.getByTestId('log-box');
    await expect.poll(() => logs.textContent(), { timeout: 20_000 }).toMatch(/tick 3: waiting/);
    const firstCount = await logs.locator('.log-line').count();
    await expect
      .poll(() => logs.locator('.log-line').count(), { timeout: 20_000 })
      .toBeGreaterThan(firstCount);
    await screenshot(page, 'run-live-running');
    await writeFile(signal, 'go');
    await expect.poll(() => node.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    await expect
      .poll(() => page.locator('[data-node-id="report"]').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('completed');
    await expect.poll(() => logs.textContent(), { timeout: 20_000 }).toContain('signal received');
    // The same document: the marker set before the signal is still there.
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(42);
    await screenshot(page, 'run-live-completed');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    expect(child.exitCode).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('shows a 1,000-instance map as one node with its count and pages through the instances', async () => {
    const { page, errors } = await open(`/runs/${runs.wide}`);
    const node = page.locator('[data-node-id="square"]');
    await node.waitFor();
    await expect(node.textContent()).resolves.toContain('1000/1000');
    const started = Date.now();
    await node.click();
    await page.getByRole('tab', { name: 'Instances (1000)' }).click();
    await page.getByRole('button', { name: '[99]' }).waitFor();
    const clickToList = Date.now() - started;
    await expect(page.getByText('page 1 of 10')).toBeDefined();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByRole('button', { name: '[199]' }).waitFor();
    await screenshot(page, 'run-map-1000');
    console.log(`1,000-instance map: node click to instance list ${clickToList} ms`);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('overview', () => {
  it('shows schedules with their next and last firing, and triggers', async () => {
    const { page, errors } = await open('/');
    const hourly = page.locator('[data-testid="schedules"] [data-trigger="hourly-wide"]');
    await hourly.waitFor({ timeout: 15_000 });
    // Next firing: a date within the hour, not the dash of a paused schedule.
    expect(await hourly.getByTestId('next-firing').textContent()).not.toBe('—');
    const last = hourly.getByTestId('last-firing');
    expect(await last.textContent()).toMatch(/queued|started/);
    expect(await last.locator('a').getAttribute('href')).toMatch(/^\/runs\/r-/);
    const nightly = page.locator('[data-testid="schedules"] [data-trigger="nightly"]');
    expect(await nightly.textContent()).toContain('paused');
    expect(await nightly.getByTestId('next-firing').textContent()).toBe('—');
    expect(await nightly.getByTestId('last-firing').textContent()).toBe('never');
    const trigger = page.locator('[data-testid="triggers"] tbody tr');
    expect(await trigger.count()).toBe(1);
    expect(await trigger.textContent()).toContain('after wide completed');
    await page.locator('[data-testid="triggers"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'overview-schedules');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('runs', () => {
  it('searches by name on the server, not in the page', async () => {
    const { page, errors } = await open('/runs');
    await page.locator('.runs-table tbody tr').first().waitFor();
    const searched = page.waitForRequest((r) => /\/api\/v1\/runs\?.*q=SHOWCASE/.test(r.url()));
    await page.getByRole('searchbox').fill('SHOWCASE');
    await page.getByRole('button', { name: 'Search' }).click();
    await searched;
    await expect.poll(() => page.locator('.runs-table tbody tr').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('.runs-table tbody tr').textContent()).toContain(runs.showcase);
    expect(page.url()).toContain('q=SHOWCASE');
    // A whole run id opens straight to its row.
    await page.getByRole('searchbox').fill(runs.wide as string);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => page.locator('.runs-table tbody tr').textContent(), { timeout: 15_000 })
      .toContain(runs.wide);
    await screenshot(page, 'runs-search');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('pipelines and snapshots', () => {
  it("goes from a run to its snapshot: the DAG, a node's params, the snapshot's runs", async () => {
    const { page, errors } = await open(`/runs/${runs.quickstart}`);
    await page.locator('a', { hasText: snapshots.quickstart!.slice(0, 16) }).click();
    await page.getByRole('heading', { name: /Snapshot of/ }).waitFor();
    const nodes = page.locator('.dag-node');
    await nodes.first().waitFor();
    const ids = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(ids.sort()).toEqual(['evaluate', 'load_penguins', 'split', 'train']);
    // Nothing ran in a snapshot: no status on its nodes.
    expect(await nodes.evaluateAll((els) => els.filter((e) => e.hasAttribute('data-status')).length)).toBe(0);
    await page.locator('[data-node-id="train"]').click();
    await expect.poll(() => page.getByTestId('snapshot-params').textContent()).toContain('trees');
    const table = page.locator('.runs-table');
    await expect.poll(() => table.textContent()).toContain(runs.quickstart);
    await screenshot(page, 'snapshot');
    // The pipeline page lists the snapshot with its run count.
    await page.goto(`${url}/pipelines/quickstart`);
    const row = page.locator('[data-testid="snapshots"] tbody tr', {
      hasText: snapshots.quickstart!.slice(0, 8),
    });
    await row.waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("run page: attempts, conditions, a step's own chart", () => {
  it("lists a retried step's attempts with their errors and shows the condition on the DAG", async () => {
    const { page, errors } = await open(`/runs/${runs.showcase}?step=measure`);
    const attempts = page.getByTestId('attempts');
    await attempts.locator('tbody tr').nth(2).waitFor({ timeout: 15_000 });
    const rows = await attempts
      .locator('tbody tr')
      .evaluateAll((els) => els.map((e) => e.querySelector('[data-status]')?.getAttribute('data-status')));
    expect(rows).toEqual(['failed', 'failed', 'completed']);
    expect(await attempts.locator('tr[data-attempt="1"]').textContent()).toContain('sensor offline (call 1)');
    expect(await attempts.locator('tr[data-attempt="2"]').textContent()).toContain('retried after');
    // The condition: on the guarded node, and its edge.
    const publish = page.locator('[data-node-id="publish"]');
    expect(await publish.locator('.dag-node-cond').textContent()).toMatch(/if measure\.score/);
    expect(await publish.getAttribute('data-status')).toBe('completed');
    await screenshot(page, 'run-attempts');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws a step's Vega-Lite spec with Vega, loaded only when shown", async () => {
    const { page, errors } = await open(`/runs/${runs.showcase}?step=measure`);
    const vegaLoads: string[] = [];
    page.on('request', (r) => {
      if (/vega-lite-view-.*\.js$/.test(r.url())) vegaLoads.push(r.url());
    });
    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await page.locator('.io-list summary', { hasText: 'score' }).first().waitFor();
    expect(vegaLoads).toEqual([]);
    await page.locator('.io-list summary', { hasText: 'chart' }).first().click();
    const chart = page.locator('[data-report="vega-lite"][data-drawn="true"] svg');
    await chart.waitFor({ timeout: 30_000 });
    // Five folds: five bars.
    expect(await chart.locator('.mark-rect path').count()).toBe(5);
    expect(await chart.textContent()).toContain('fold 3');
    expect(vegaLoads).toHaveLength(1);
    await screenshot(page, 'report-vega-lite');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('reports', () => {
  it('draws histograms from the statistics step and a confusion-matrix heatmap from evaluate', async () => {
    const { page, errors } = await open(`/runs/${runs.penguins}?step=statistics`);
    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await page.locator('.io-list summary', { hasText: 'statistics' }).first().click();
    await page.locator('[data-report="statistics"] svg.histogram').first().waitFor();
    expect(await page.locator('[data-report="statistics"] svg.histogram rect.bar').count()).toBeGreaterThan(
      10,
    );
    await screenshot(page, 'report-statistics');
    await page.goto(`${url}/runs/${runs.penguins}?step=evaluate`);
    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await page.locator('.io-list summary', { hasText: 'evaluation' }).first().click();
    const heatmap = page.locator('[data-report="evaluation"] svg.heatmap');
    await heatmap.waitFor();
    // Three species: a 3 x 3 matrix.
    expect(await heatmap.locator('[data-cell]').count()).toBe(9);
    await screenshot(page, 'report-evaluation');
    await page.goto(`${url}/runs/${runs.penguins}?step=validate`);
    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await page.locator('.io-list summary', { hasText: 'report' }).first().click();
    await page.locator('[data-report="drift"]').waitFor();
    await screenshot(page, 'report-validation');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('quality', () => {
  it('is usable from the keyboard, every control is labelled, and the dark theme applies', async () => {
    const { page, errors } = await open('/runs');
    await page.locator('.runs-table tbody tr').first().waitFor();
    // The first Tab reaches the skip link; Enter moves focus to the page's content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    // Every input, select and button has a name a screen reader can say.
    // (Code run in the page, as text: this file is type-checked without the DOM library.)
    const unnamed = await page.evaluate(`[...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))
        && !(el.tagName === 'BUTTON' && el.textContent?.trim()))
      .map((el) => el.outerHTML.slice(0, 120))`);
    expect(unnamed).toEqual([]);
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    await page.getByLabel('Theme').selectOption('light');
    const light = await background();
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await expect.poll(background).not.toBe(light);
    // Kept across a reload, applied before the first paint by theme.js.
    await page.reload();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.locator('.runs-table tbody tr').first().waitFor();
    await screenshot(page, 'runs-dark');
    await page.getByLabel('Theme').selectOption('system');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says what to do when a run does not exist', async () => {
    const { page } = await open('/runs/r-no-such-run');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/deleted, or the link is wrong/);
    await page.close();
  });
});

describe('compare', () => {
  it('puts two runs side by side: the changed parameter stands out, the step code is the same', async () => {
    const { page, errors } = await open(
      `/compare?runs=${runs.quickstart},${runs.quickstart2}&pipeline=quickstart`,
    );
    const table = page.locator('.compare-table');
    await table.waitFor();
    const trees = table.locator('tbody tr', { has: page.locator('th[scope="row"]', { hasText: /^trees$/ }) });
    expect(await trees.getAttribute('class')).toContain('differs');
    expect(await trees.locator('td').allTextContents()).toEqual(['25', '40']);
    await table.getByText('Step code', { exact: false }).waitFor();
    const trainCode = table.locator('tbody tr', {
      has: page.locator('th[scope="row"]', { hasText: /^train$/ }),
    });
    const hashes = await trainCode.locator('td').allTextContents();
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).toMatch(/^[0-9a-f]{12}$/);
    expect(hashes[1]).toBe(hashes[0]);
    expect(await trainCode.getAttribute('class')).toBeNull();
    await table.getByText('Sources', { exact: false }).waitFor();
    // The metric across the pipeline's runs, as a chart.
    // (A line between equal values has no height, which Playwright calls hidden: wait for the chart.)
    await page.locator('svg.line-chart').waitFor({ timeout: 15_000 });
    expect(await page.locator('svg.line-chart path.line').getAttribute('d')).toMatch(/^M[\d.,]+ L[\d.,]+$/);
    await screenshot(page, 'compare');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('regression report', () => {
  it("draws the cars pipeline's regression metrics (RMSE, MAE, R²) and its per-slice metrics", async () => {
    const { page, errors } = await open(`/runs/${runs.cars}?step=evaluate`);
    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await page.locator('.io-list summary', { hasText: 'evaluation' }).first().click();
    const report = page.locator('[data-report="evaluation"]');
    await report.waitFor();
    expect(await report.locator('h3').first().textContent()).toContain('regression');
    const metrics = await report.locator('.metrics-table th[scope="row"]').allTextContents();
    expect(metrics).toEqual(['RMSE', 'MAE', 'R²']);
    // Numbers, not dashes: the metrics came from the real evaluation artifact.
    const rmse = await report.locator('.metrics-table tbody tr').first().locator('td').first().textContent();
    expect(Number(rmse)).toBeGreaterThan(0);
    // Sliced by Origin: USA, Europe, Japan.
    expect(await report.locator('table', { hasText: 'Per slice' }).locator('tbody tr').count()).toBe(3);
    await screenshot(page, 'report-regression');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('lineage', () => {
  it('clicks through from a model to the data it was trained on', async () => {
    const { page, errors } = await open('/models/penguins');
    await page.locator('table a.mono').first().click();
    await page.getByRole('heading', { name: /Artifact/ }).waitFor();
    const graph = page.locator('.lineage');
    await graph.locator('[data-lineage-id]').first().waitFor();
    await screenshot(page, 'lineage-model');
    // model <- train step <- the train table that ingest produced.
    await graph.locator('.lineage-step a', { hasText: 'train' }).first().click();
    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await page.locator('.io-list li', { hasText: 'train' }).first().locator('a').first().click();
    await page.getByText('Produced by').waitFor();
    await expect(page.locator('.facts').first().textContent()).resolves.toMatch(/\/ingest/);
    await screenshot(page, 'lineage-training-data');
    expect(errors).toEqual([]);
    await page.close();
  });
});

// Last: these restart the server (creating a token switches it to token authentication).
describe('models', () => {
  it('promotes through the UI and the alias moves in the store', async () => {
    const { page, errors } = await open('/models/penguins');
    await page.getByLabel('Alias', { exact: true }).fill('staging');
    await page.getByLabel('Version').selectOption('1');
    await page.getByLabel('Reason').fill('browser test');
    await page.getByRole('button', { name: 'Promote' }).click();
    await page.getByText('staging now points at v1.').waitFor();
    // The store, read by the CLI (not through the page): the alias moved.
    const shown = JSON.parse(project.strata('models', 'list', '--json').stdout) as {
      name: string;
      aliases: Record<string, number>;
    }[];
    expect(shown.find((m) => m.name === 'penguins')?.aliases.staging).toBe(1);
    await page.locator('.timeline li', { hasText: 'browser test' }).waitFor();
    // v2 is the same model trained again (--no-cache): it does not beat v1 by minImprovement, so its
    // gate did not bless it. The server refuses it unless "Force past the gate" is ticked.
    const staging = () =>
      (
        JSON.parse(project.strata('models', 'list', '--json').stdout) as {
          name: string;
          aliases: Record<string, number>;
        }[]
      ).find((m) => m.name === 'penguins')?.aliases.staging;
    // By data-version: a row's run and artifact ids are random base36 and may contain "v1" or "v2".
    expect(await page.locator('tr[data-version="2"] [data-gate]').textContent()).toBe('not blessed');
    expect(await page.locator('tr[data-version="1"] [data-gate]').textContent()).toBe('blessed');
    await page.getByLabel('Version').selectOption('2');
    await page.getByRole('button', { name: 'Promote' }).click();
    await page.getByText('penguins v2 was not blessed by its evaluation gate').waitFor();
    expect(staging()).toBe(1);
    await page.getByLabel('Force past the gate').check();
    await page.getByRole('button', { name: 'Promote' }).click();
    await page.getByText('staging now points at v2 (forced past the gate).').waitFor();
    expect(staging()).toBe(2);
    await page.locator('.timeline li', { hasText: 'forced past the gate' }).waitFor();
    await screenshot(page, 'model');
    // The browser logs the refused request itself; nothing else went wrong on the page.
    expect(errors).toEqual([
      'console.error: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
    await page.close();
  });

  it('refuses to promote with a read token: the buttons are disabled and the server answers 403', async () => {
    const reader = project.strata('server', 'token', 'create', 'reader', '--scope', 'read').stdout.trim();
    expect(reader.length).toBeGreaterThan(20);
    await restartUi();
    const { page, errors } = await open(`/models/penguins?token=${encodeURIComponent(reader)}`);
    await page.getByText('Your token has read scope').waitFor();
    expect(await page.getByRole('button', { name: 'Promote' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Roll back' }).isDisabled()).toBe(true);
    // The token left the address bar for the browser's storage.
    expect(page.url()).not.toContain('token=');
    await screenshot(page, 'model-read-token');
    // What the button would send, sent with the same token: refused, and nothing moved.
    const production = () =>
      (
        JSON.parse(project.strata('models', 'list', '--json').stdout) as {
          name: string;
          aliases: Record<string, number>;
        }[]
      ).find((m) => m.name === 'penguins')?.aliases.production;
    const before = production();
    expect(before).toBeDefined();
    const readClient = createClient({ baseUrl: url, token: reader });
    const refused = await readClient
      .promote('penguins', { version: before === 1 ? 2 : 1, alias: 'production', reason: 'not allowed' })
      .catch((e: unknown) => e);
    expect((refused as { status?: number }).status).toBe(403);
    expect(production()).toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });
});
