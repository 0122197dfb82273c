import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { ModelRegistry } from '@strata/core';
import { StrataError } from '@strata/core';
import { browseOf, type ServerStore, serverStoreOf } from '@strata/metadata';
import { openProject, type Project } from '@strata/project';
import { createApp } from './app.js';
import { type Authenticator, localAuthenticator } from './auth/authenticator.js';
import { isLoopback } from './auth/loopback.js';
import { tokenAuthenticator } from './auth/token-authenticator.js';
import { defaultLimits, type ServerDeps, type ServerLimits, type ServerLog } from './deps.js';
import { ChangeFeed } from './events/change-feed.js';
import { startLivenessSweep } from './events/liveness-sweep.js';
import { createLog } from './log.js';
import { ArtifactReader } from './views/artifact-reader.js';
import { StackCache } from './views/stack-cache.js';

export interface StartOptions {
  readonly cwd?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly jsonLogs?: boolean;
  /** The stack whose model registry the models endpoints use (default: the project's active stack). */
  readonly stack?: string;
  /** Behind a reverse proxy: count failed logins per X-Forwarded-For client, not per proxy. */
  readonly trustProxy?: boolean;
  readonly limits?: Partial<ServerLimits>;
  readonly log?: ServerLog;
  /** The `strata` CLI script, so POST /runs/{id}/resume can start `strata runs resume`. */
  readonly cliPath?: string;
  /** Change feed poll interval (SQLite; on PostgreSQL NOTIFY wakes it and this is the fallback). */
  readonly pollMs?: number;
}

export interface RunningServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const CHANGE_RETENTION_MS = 7 * 24 * 3600_000;

function localUser(): string {
  return process.env.USER ?? process.env.USERNAME ?? 'local';
}

/** Opens the project's metadata store and serves the API until close(). */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? createLog({ json: options.jsonLogs ?? false });
  const project = await openProject(options.cwd === undefined ? {} : { cwd: options.cwd });
  try {
    const store = serverStoreOf(project.database);
    const auth = await chooseAuth(host, store, options.trustProxy ?? false);
    return await listen(project, store, host, options, auth, log);
  } catch (error) {
    await project.close();
    throw error;
  }
}

/**
 * Loopback without tokens serves the local user. Once any token exists, every request needs one, on
 * loopback too. Any other address without a token is refused: the API would be open to the network.
 */
async function chooseAuth(host: string, store: ServerStore, trustProxy: boolean): Promise<Authenticator> {
  if (await store.tokens.anyActive()) return tokenAuthenticator(store, { trustProxy });
  if (isLoopback(host)) return localAuthenticator(localUser());
  throw new StrataError(`refusing to listen on ${host} without authentication`, {
    code: 'server_auth_required',
    field: 'host',
    value: host,
    fix: 'create a token first (`strata server token create NAME --scope admin`), or bind to 127.0.0.1',
  });
}

function resumer(project: Project, cliPath: string | undefined) {
  if (cliPath === undefined) return undefined;
  return async (runId: string) => {
    const dir = join(project.root, '.strata', 'server');
    mkdirSync(dir, { recursive: true });
    const log = join(dir, `resume-${runId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${Date.now()}.log`);
    const fd = openSync(log, 'a');
    // Its own process: the pipeline's code runs there, never inside the server.
    const child = spawn(process.execPath, [cliPath, 'runs', 'resume', runId], {
      cwd: project.root,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, STRATA_PROJECT_ROOT: project.root },
    });
    child.unref();
    return { pid: child.pid ?? -1, log };
  };
}

async function listen(
  project: Project,
  store: ServerStore,
  host: string,
  options: StartOptions,
  auth: Authenticator,
  log: ServerLog,
): Promise<RunningServer> {
  const limits: ServerLimits = { ...defaultLimits, ...options.limits };
  const stacks = new StackCache((name) => project.buildStack(name));
  const artifacts = new ArtifactReader(project.database, stacks);
  const feed = new ChangeFeed(store, {
    pollMs: options.pollMs ?? (store.listen ? 1000 : 100),
    onError: (error) => log.error('change feed read failed', { error: String(error) }),
  });
  await feed.start();
  const sweep = startLivenessSweep(project.database, feed, log);
  let registry: Promise<ModelRegistry> | undefined;
  const deps: ServerDeps = {
    database: project.database,
    browse: browseOf(project.database),
    store,
    feed,
    artifacts,
    stacks,
    registry: () => {
      registry ??= project.component<ModelRegistry>('model_registry', options.stack);
      registry.catch(() => {
        registry = undefined;
      });
      return registry;
    },
    resume: resumer(project, options.cliPath),
    limits,
    log,
    trustProxy: options.trustProxy ?? false,
  };
  const app = createApp(deps, auth);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8420 }, () => resolve(s));
    s.once('error', reject);
  }).catch(async (error) => {
    await sweep.stop();
    await feed.close();
    throw error;
  });
  const pruner = setInterval(() => {
    void store.changes.prune(Date.now() - CHANGE_RETENTION_MS).catch(() => {});
  }, 3600_000);
  pruner.unref();
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shown}:${address.port}`;
  log.info(`strata server listening on ${url}`, { database: project.database.url, auth: auth.mode });
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    close: () => {
      closing ??= (async () => {
        clearInterval(pruner);
        await sweep.stop();
        await feed.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await stacks.close();
        await project.close();
      })();
      return closing;
    },
  };
}
