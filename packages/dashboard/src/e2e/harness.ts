/**
 * The browser-test harness: a throw-away Strata project driven by the BUILT `strata` binary, runs made
 * by real pipelines, `strata ui` serving the built dashboard on loopback, and Debian's Chromium driven
 * headless by playwright-core. Nothing is mocked: the page talks to the real server over HTTP.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = join(workspace, 'packages/cli/bin/strata.js');
export const fixtures = join(workspace, 'packages/dashboard/src/e2e/fixtures/live.ts');
export const CHROMIUM = process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium';
/** The flags ENVIRONMENT.md gives for Chromium in a container without a GPU or network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Fails loudly (never skips) when what the browser tests need is missing. */
export function requirePrerequisites(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/services/chromium.sh (apt-get install -y chromium)`);
  }
  if (!existsSync(join(workspace, 'packages/dashboard/dist/ui/index.html'))) {
    throw new Error('the dashboard is not built: run `pnpm build` (it runs vite after tsc)');
  }
  if (!existsSync(join(workspace, 'packages/cli/dist/main.js')))
    throw new Error('the CLI is not built: run `pnpm build`');
}

export interface Project {
  readonly root: string;
  strata(...args: string[]): { code: number; stdout: string; stderr: string };
  /** Starts `strata ARGS` in the background (a run that a test watches live). */
  spawnStrata(...args: string[]): ChildProcess;
  dispose(): Promise<void>;
}

function env(root: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, STRATA_PROJECT_ROOT: root, NO_COLOR: '1' };
  delete e.STRATA_STACK;
  delete e.STRATA_DATABASE_URL;
  return e;
}

export async function createProject(): Promise<Project> {
  const root = await mkdtemp(join(tmpdir(), 'strata-dashboard-'));
  await writeFile(
    join(root, 'package.json'),
    '{ "name": "dashboard-e2e", "private": true, "type": "module" }\n',
  );
  const children: ChildProcess[] = [];
  const project: Project = {
    root,
    strata(...args) {
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd: root,
        env: env(root),
        encoding: 'utf8',
        timeout: 180_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    spawnStrata(...args) {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: root,
        env: env(root),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      return child;
    },
    async dispose() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
      await rm(root, { recursive: true, force: true });
    },
  };
  const init = project.strata('init');
  if (init.code !== 0) throw new Error(`strata init failed: ${init.stderr}`);
  return project;
}

/** Runs a pipeline file to completion and returns its run id; `expectCode` 1 for a run that fails. */
export function runPipeline(project: Project, file: string, args: string[] = [], expectCode = 0): string {
  const r = project.strata('run', file, '--json', ...args);
  if (r.code !== expectCode) throw new Error(`strata run ${file} exited ${r.code}: ${r.stderr}\n${r.stdout}`);
  const run = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { id: string };
  return run.id;
}

/** `strata ui --no-open --port 0`: resolves with the URL it prints. */
export async function startUi(project: Project): Promise<{ url: string; child: ChildProcess }> {
  const child = project.spawnStrata('ui', '--no-open', '--port', '0');
  let out = '';
  let err = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`strata ui printed no URL in 60 s: ${out}${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/?/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[0].replace(/\/$/, ''));
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`strata ui exited ${code}: ${out}${err}`));
    });
  });
  return { url, child };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Where the tests save screenshots: docs/dashboard when STRATA_UPDATE_SCREENSHOTS=1, else a temp folder. */
export const screenshotDir =
  process.env.STRATA_UPDATE_SCREENSHOTS === '1'
    ? join(workspace, 'docs/dashboard')
    : join(tmpdir(), 'strata-dashboard-screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Console errors and uncaught exceptions of a page, collected from its creation on. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}
