// The typed client of the Strata API. Browser-safe: fetch only, no Node imports; the types are the
// API's zod schemas (`@strata/server/schemas`).
import type { Artifact, ArtifactDetail, ArtifactPage, Lineage, Preview } from '../schemas/artifacts.js';
import type { StepAttempt } from '../schemas/attempts.js';
import type { StrataEvent } from '../schemas/events.js';
import type { Metrics } from '../schemas/metrics.js';
import type { AliasChange, Model, ModelDetail, Promotion } from '../schemas/models.js';
import type { Dag, Pipeline, Snapshot } from '../schemas/pipelines.js';
import type { Run, RunPage, RunStatus } from '../schemas/runs.js';
import type { ServerInfo } from '../schemas/server-info.js';
import type { PipelineSnapshot } from '../schemas/snapshots.js';
import type { Component, Stack, StackDetail } from '../schemas/stacks.js';
import type { LogLevel, LogPage, StepDetail, StepRun } from '../schemas/steps.js';
import type { Trigger } from '../schemas/triggers.js';
import { StrataApiError, toApiError } from './errors.js';
import { enc, queryString } from './query.js';
import { type EventStreamOptions, parseEventStream } from './sse.js';

export type * from '../schemas/index.js';
export { StrataApiError } from './errors.js';
export { type EventStreamOptions, parseEventStream, type SseMessage } from './sse.js';

export interface ClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8420` (or '' for same-origin in a browser). */
  readonly baseUrl: string;
  /** An API token (`strata server token create`); not needed on loopback without tokens. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

export interface RunsQuery {
  readonly pipeline?: string;
  readonly status?: RunStatus | readonly RunStatus[];
  readonly stack?: string;
  /** Runs of one snapshot (compiled pipeline version). */
  readonly snapshot?: string;
  /** Text found in the run id or name (case-insensitive), searched by the server over every run. */
  readonly q?: string;
  /** Created at or after: epoch ms, ISO text or a Date. */
  readonly from?: number | string | Date;
  readonly to?: number | string | Date;
  readonly sort?: 'createdAt' | 'startedAt' | 'endedAt' | 'name';
  readonly order?: 'asc' | 'desc';
  /** 1-200, default 50. */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ArtifactsQuery {
  readonly kind?: string;
  /** 64 lowercase hex digits. */
  readonly sha256?: string;
  /** 1-200, default 50. */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface LineageQuery {
  readonly direction?: 'upstream' | 'downstream' | 'both';
  /** 1-10, default 3. */
  readonly depth?: number;
}

export interface WriteReason {
  /** Recorded in the audit log (and the alias history). */
  readonly reason?: string;
}

export interface CancelResult {
  readonly runId: string;
  readonly status: string;
}

export interface ResumeResult {
  readonly runId: string;
  readonly resumedFrom: string;
}

export const API_PREFIX = '/api/v1';

/** One method per endpoint; every failure is a StrataApiError with the server's code and fix. */
export class StrataClient {
  readonly #base: string;
  /** The server as error messages name it: the origin, never a user or password in the URL. */
  readonly #server: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '') + API_PREFIX;
    this.#server = serverName(options.baseUrl);
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The absolute URL of an API path (for links, e.g. an artifact download). */
  url(path: string): string {
    return this.#base + path;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#token) headers.set('authorization', `Bearer ${this.#token}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await this.#fetch(this.#base + path, { ...init, headers });
    } catch (error) {
      if (init.signal?.aborted || (error as Error).name === 'AbortError') throw error;
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is its cause.
      throw unreachable(this.#server, error);
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  async #get<T>(path: string): Promise<T> {
    return (await (await this.request(path)).json()) as T;
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    return (await (await this.request(path, { method: 'POST', body: JSON.stringify(body) })).json()) as T;
  }

  server(): Promise<ServerInfo> {
    return this.#get('/server');
  }

  openapi(): Promise<Record<string, unknown>> {
    return this.#get('/openapi.json');
  }

  // Pipelines and snapshots
  pipelines(): Promise<Pipeline[]> {
    return this.#get('/pipelines');
  }
  snapshot(id: string): Promise<Snapshot> {
    return this.#get(`/snapshots/${enc(id)}`);
  }
  /** The snapshots a pipeline's runs used, newest first, with their run counts. */
  pipelineSnapshots(pipeline: string, query: { limit?: number } = {}): Promise<PipelineSnapshot[]> {
    return this.#get(`/pipelines/${enc(pipeline)}/snapshots${queryString(query)}`);
  }

  // Schedules and triggers (read-only; `strata schedule` / `strata trigger` change them)
  /** Schedules with their next firing, last firing and `firings` recent ones (default 5). */
  schedules(query: { firings?: number } = {}): Promise<Trigger[]> {
    return this.#get(`/schedules${queryString(query)}`);
  }
  /** Event triggers with their last firing and `firings` recent ones (default 5). */
  triggers(query: { firings?: number } = {}): Promise<Trigger[]> {
    return this.#get(`/triggers${queryString(query)}`);
  }

  // Runs
  runs(query: RunsQuery = {}): Promise<RunPage> {
    const from = query.from instanceof Date ? query.from.getTime() : query.from;
    const to = query.to instanceof Date ? query.to.getTime() : query.to;
    return this.#get(`/runs${queryString({ ...query, from, to })}`);
  }
  /** Every run matching the query, page after page. */
  async *allRuns(query: Omit<RunsQuery, 'cursor'> = {}): AsyncGenerator<Run> {
    let cursor: string | undefined;
    do {
      const page = await this.runs({ ...query, ...(cursor === undefined ? {} : { cursor }) });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  run(id: string): Promise<Run> {
    return this.#get(`/runs/${enc(id)}`);
  }
  runDag(id: string): Promise<Dag> {
    return this.#get(`/runs/${enc(id)}/dag`);
  }
  steps(runId: string): Promise<StepRun[]> {
    return this.#get(`/runs/${enc(runId)}/steps`);
  }
  /** `node` is a node id, or `node[i]` for a map instance. */
  /** A step's attempts, oldest first (retries included). */
  attempts(runId: string, node: string): Promise<StepAttempt[]> {
    return this.#get(`/runs/${enc(runId)}/steps/${enc(node)}/attempts`);
  }
  step(runId: string, node: string): Promise<StepDetail> {
    return this.#get(`/runs/${enc(runId)}/steps/${enc(node)}`);
  }
  logs(
    runId: string,
    query: { step?: string; afterSeq?: number; level?: LogLevel; limit?: number } = {},
  ): Promise<LogPage> {
    return this.#get(`/runs/${enc(runId)}/logs${queryString(query)}`);
  }
  runLineage(runId: string, query: LineageQuery = {}): Promise<Lineage> {
    return this.#get(`/runs/${enc(runId)}/lineage${queryString(query)}`);
  }
  cancelRun(runId: string, body: WriteReason = {}): Promise<CancelResult> {
    return this.#post(`/runs/${enc(runId)}/cancel`, body);
  }
  resumeRun(runId: string, body: WriteReason = {}): Promise<ResumeResult> {
    return this.#post(`/runs/${enc(runId)}/resume`, body);
  }

  // Artifacts
  /** One page of artifacts, newest first; pass `nextCursor` back as `cursor` for the next. */
  artifacts(query: ArtifactsQuery = {}): Promise<ArtifactPage> {
    return this.#get(`/artifacts${queryString(query)}`);
  }
  /** Every artifact matching the filters, page after page. */
  async *allArtifacts(query: Omit<ArtifactsQuery, 'cursor'> = {}): AsyncGenerator<Artifact> {
    let cursor: string | undefined;
    do {
      const page = await this.artifacts({ ...query, ...(cursor === undefined ? {} : { cursor }) });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  artifact(id: string): Promise<ArtifactDetail> {
    return this.#get(`/artifacts/${enc(id)}`);
  }
  preview(id: string): Promise<Preview> {
    return this.#get(`/artifacts/${enc(id)}/preview`);
  }
  artifactLineage(id: string, query: LineageQuery = {}): Promise<Lineage> {
    return this.#get(`/artifacts/${enc(id)}/lineage${queryString(query)}`);
  }
  /** The artifact's bytes (sha256-verified by the server); `range` like `bytes=0-1023`. */
  download(id: string, options: { range?: string; signal?: AbortSignal } = {}): Promise<Response> {
    return this.request(`/artifacts/${enc(id)}/content`, {
      ...(options.range ? { headers: { range: options.range } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  // Metrics
  metrics(query: { pipeline: string; keys?: readonly string[]; runs?: number }): Promise<Metrics> {
    return this.#get(`/metrics${queryString(query)}`);
  }

  // Models
  models(): Promise<Model[]> {
    return this.#get('/models');
  }
  model(name: string): Promise<ModelDetail> {
    return this.#get(`/models/${enc(name)}`);
  }
  promote(
    model: string,
    body: { version: number; alias?: string; reason?: string; force?: boolean },
  ): Promise<Promotion> {
    return this.#post(`/models/${enc(model)}/promote`, body);
  }
  rollback(
    model: string,
    body: { alias?: string; version?: number; reason?: string } = {},
  ): Promise<AliasChange> {
    return this.#post(`/models/${enc(model)}/rollback`, body);
  }

  // Stacks
  stacks(): Promise<Stack[]> {
    return this.#get('/stacks');
  }
  stack(name: string): Promise<StackDetail> {
    return this.#get(`/stacks/${enc(name)}`);
  }
  components(type?: string): Promise<Component[]> {
    return this.#get(`/components${queryString({ type })}`);
  }

  /**
   * Live run, step, log and model events, in order. The stream reconnects by itself after a drop,
   * resuming after the last event id it saw, so no event is missed; stop it with `signal` (or `break`).
   * `onReady` receives the id the stream starts from (resume from it to miss nothing).
   */
  async *events(
    options: EventStreamOptions & { onReady?: (id: string) => void } = {},
  ): AsyncGenerator<StrataEvent> {
    let lastId = options.lastEventId;
    for (;;) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (lastId !== undefined) headers['last-event-id'] = lastId;
        const response = await this.request(
          `/events${queryString({ types: options.types, run: options.runId })}`,
          {
            headers,
            ...(options.signal ? { signal: options.signal } : {}),
          },
        );
        if (!response.body)
          throw new StrataApiError(502, { code: 'no_body', message: 'the event stream has no body' });
        for await (const message of parseEventStream(response.body)) {
          if (message.id !== undefined) lastId = message.id;
          if (message.event === 'ready') {
            if (message.id !== undefined) options.onReady?.(message.id);
            continue;
          }
          if (message.event === 'message' && message.data) yield JSON.parse(message.data) as StrataEvent;
        }
      } catch (error) {
        if (options.signal?.aborted) return;
        // Bad input (4xx) will not get better by retrying.
        if (error instanceof StrataApiError && error.status >= 400 && error.status < 500) throw error;
        if (options.reconnect === false) throw error;
      }
      if (options.signal?.aborted || options.reconnect === false) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function serverName(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return baseUrl === '' ? 'this origin' : 'the configured address';
  }
}

/** A request that got no answer at all (status 0): the server is down, the address wrong, or TLS failed. */
function unreachable(server: string, error: unknown): StrataApiError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  // Node's messages quote the URL, user and password included: strip them (`//user:pass@host` -> `//host`).
  const reason = (cause?.code ?? cause?.message ?? (error as Error).message).replace(/\/\/[^/@\s]*@/g, '//');
  return new StrataApiError(0, {
    code: 'server_unreachable',
    message: `cannot reach the Strata server at ${server} (${reason})`,
    field: 'url',
    value: server,
    fix: 'start the server (`strata server start`) or check its address; `strata disconnect` makes the CLI read the store itself',
  });
}

export function createClient(options: ClientOptions): StrataClient {
  return new StrataClient(options);
}
