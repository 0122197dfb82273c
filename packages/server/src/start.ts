import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type ModelRegistry, StrataError } from '@strata/core';
import { browseOf } from '@strata/metadata';
import { openProject, type Project } from '@strata/project';
import { createApp } from './app.js';
import { type Authenticator, localAuthenticator } from './auth/authenticator.js';
import { isLoopback } from './auth/loopback.js';
import { defaultLimits, type ServerDeps, type ServerLimits, type ServerLog } from './deps.js';
import { createLog } from './log.js';
import { ArtifactReader } from './views/artifact-reader.js';

export interface StartOptions {
  readonly cwd?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly jsonLogs?: boolean;
  readonly limits?: Partial<ServerLimits>;
  readonly log?: ServerLog;
}

export interface RunningServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function localUser(): string {
  return process.env.USER ?? process.env.USERNAME ?? 'local';
}

/** Opens the project's metadata store and serves the API until close(). */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? createLog({ json: options.jsonLogs ?? false });
  const project = await openProject(options.cwd === undefined ? {} : { cwd: options.cwd });
  try {
    const auth = await chooseAuth(host);
    return await listen(
      project,
      host,
      options.port ?? 8420,
      auth,
      { ...defaultLimits, ...options.limits },
      log,
    );
  } catch (error) {
    await project.close();
    throw error;
  }
}

async function chooseAuth(host: string): Promise<Authenticator> {
  if (isLoopback(host)) return localAuthenticator(localUser());
  throw new StrataError(`refusing to listen on ${host} without authentication`, {
    code: 'server_auth_required',
    field: 'host',
    value: host,
    fix: 'create a token with `strata server token create --scope admin` first, or bind to 127.0.0.1',
  });
}

async function listen(
  project: Project,
  host: string,
  port: number,
  auth: Authenticator,
  limits: ServerLimits,
  log: ServerLog,
): Promise<RunningServer> {
  const artifacts = new ArtifactReader(project.database, (name) => project.buildStack(name));
  const deps: ServerDeps = {
    database: project.database,
    browse: browseOf(project.database),
    artifacts,
    limits,
    log,
    modelRegistry: memo(() => project.component<ModelRegistry>('model_registry')),
  };
  const app = createApp(deps, auth);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  });
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
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await artifacts.close();
        await project.close();
      })();
      return closing;
    },
  };
}

/** Builds the registry on first use, once; a failed build is retried on the next request. */
function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
