import { readToken } from './token.js';
import type {
  AliasChange,
  ArtifactDetail,
  Dag,
  Lineage,
  LiveEvent,
  LogPage,
  MetricPoint,
  Model,
  ModelDetail,
  Pipeline,
  Preview,
  Run,
  RunFilter,
  RunPage,
  ServerInfo,
  Stack,
  StackDetail,
  StepDetail,
  StepRun,
} from './types.js';

/** An HTTP error with the server's status, so the error states can say what to do. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

const base = '/api/v1';

function headers(): Record<string, string> {
  const token = readToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(base + path, { ...init, headers: { ...headers(), ...(init.headers ?? {}) } });
  } catch {
    throw new ApiError('Cannot reach the Strata server', undefined);
  }
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { message?: string }; message?: string };
      message = body.error?.message ?? body.message ?? message;
    } catch {}
    throw new ApiError(message, res.status);
  }
  return (await res.json()) as T;
}

function qs(params: Record<string, string | number | undefined>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : '';
}

const id = encodeURIComponent;

export const api = {
  info: () => request<ServerInfo>('/info'),
  pipelines: () => request<{ items: Pipeline[] }>('/pipelines').then((r) => r.items),
  runs: (f: RunFilter) =>
    request<RunPage>(
      `/runs${qs({ pipeline: f.pipeline, status: f.status, stack: f.stack, from: f.from, cursor: f.cursor, limit: f.limit })}`,
    ),
  run: (runId: string) => request<Run>(`/runs/${id(runId)}`),
  steps: (runId: string) => request<{ items: StepRun[] }>(`/runs/${id(runId)}/steps`).then((r) => r.items),
  dag: (runId: string) => request<Dag>(`/runs/${id(runId)}/dag`),
  step: (stepRunId: string) => request<StepDetail>(`/steps/${id(stepRunId)}`),
  logs: (stepRunId: string, afterSeq: number, limit = 1000) =>
    request<LogPage>(`/steps/${id(stepRunId)}/logs${qs({ afterSeq, limit })}`),
  artifact: (artifactId: string) => request<ArtifactDetail>(`/artifacts/${id(artifactId)}`),
  preview: (artifactId: string) => request<Preview>(`/artifacts/${id(artifactId)}/preview`),
  downloadUrl: (artifactId: string) => `${base}/artifacts/${id(artifactId)}/download`,
  lineage: (artifactId: string, depth = 4) =>
    request<Lineage>(`/artifacts/${id(artifactId)}/lineage${qs({ direction: 'both', depth })}`),
  models: () => request<{ items: Model[] }>('/models').then((r) => r.items),
  model: (name: string) => request<ModelDetail>(`/models/${id(name)}`),
  promote: (model: string, body: { alias: string; version: number; reason: string }) =>
    request<AliasChange>(`/models/${id(model)}/promote`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
  rollback: (model: string, body: { alias: string; reason: string }) =>
    request<AliasChange>(`/models/${id(model)}/rollback`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
  stacks: () => request<{ items: Stack[] }>('/stacks').then((r) => r.items),
  stack: (name: string) => request<StackDetail>(`/stacks/${id(name)}`),
  metrics: (pipeline: string, runs = 50) =>
    request<{ points: MetricPoint[] }>(`/metrics${qs({ pipeline, runs })}`).then((r) => r.points),
};

/**
 * Live events over Server-Sent Events. EventSource reconnects by itself and sends Last-Event-ID, so
 * the server replays what was missed. EventSource cannot set headers: the token goes in the query.
 */
export function subscribe(
  filter: { runId?: string },
  onEvent: (event: LiveEvent) => void,
  onState?: (connected: boolean) => void,
): () => void {
  const token = readToken();
  const source = new EventSource(`${base}/events${qs({ runId: filter.runId, token })}`);
  const handle = (e: MessageEvent<string>) => {
    try {
      onEvent(JSON.parse(e.data) as LiveEvent);
    } catch {
      // A malformed event is skipped; the next full reload corrects the page.
    }
  };
  source.onmessage = handle;
  source.onopen = () => onState?.(true);
  source.onerror = () => onState?.(false);
  return () => source.close();
}
