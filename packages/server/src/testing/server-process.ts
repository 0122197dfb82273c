import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const strataBin = join(workspace, 'packages/cli/bin/strata.js');

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr so far (its log). */
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the BUILT `strata server start` as a separate process in `cwd` on a free loopback port and
 * waits for the URL it prints, so tests talk to the real server over HTTP.
 */
export async function startServerProcess(
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; args?: readonly string[] } = {},
): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, STRATA_PROJECT_ROOT: cwd, NO_COLOR: '1', ...options.env };
  delete env.STRATA_STACK;
  if (!options.env?.STRATA_DATABASE_URL) delete env.STRATA_DATABASE_URL;
  const child = spawn(
    process.execPath,
    [strataBin, 'server', 'start', '--port', '0', '--json', ...(options.args ?? [])],
    {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => l.startsWith('http://'));
      if (line) {
        clearTimeout(timer);
        resolveUrl(line.trim());
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid ?? -1,
    child,
    log: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs the built `strata` CLI to completion. */
export function strata(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
    const full: NodeJS.ProcessEnv = { ...process.env, STRATA_PROJECT_ROOT: cwd, NO_COLOR: '1', ...env };
    delete full.STRATA_STACK;
    if (!env.STRATA_DATABASE_URL) delete full.STRATA_DATABASE_URL;
    const child = spawn(process.execPath, [strataBin, ...args], {
      cwd,
      env: full,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}
