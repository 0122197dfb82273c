import { createClient, StrataApiError, type StrataClient } from '@strata/server/client';
import { readToken } from './token.js';
import type { LiveEvent, RunFilter } from './types.js';

export { StrataApiError as ApiError };

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

/**
 * The dashboard's one way to the server: its typed client, same origin, with the token this browser
 * holds (none on loopback). Everything the pages read comes through here.
 */
let client: StrataClient | undefined;

export function strata(): StrataClient {
  if (!client) {
    const token = readToken();
    client = createClient({ baseUrl: window.location.origin, ...(token ? { token } : {}) });
  }
  return client;
}

/** The query a runs page asks for, in the client's terms. */
function runsQuery(f: RunFilter) {
  return {
    ...(f.pipeline ? { pipeline: f.pipeline } : {}),
    ...(f.status ? { status: f.status as 'running' } : {}),
    ...(f.stack ? { stack: f.stack } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.q ? { q: f.q } : {}),
    ...(f.snapshot ? { snapshot: f.snapshot } : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
    limit: f.limit ?? 50,
  };
}

/** A step run id is `run/node` or `run/node[i]`: the client addresses it by run and node. */
function splitStepRunId(stepRunId: string): [string, string] {
  const slash = stepRunId.indexOf('/');
  return [stepRunId.slice(0, slash), stepRunId.slice(slash + 1)];
}

export const api = {
  info: () => strata().server(),
  pipelines: () => strata().pipelines(),
  pipelineSnapshots: (pipeline: string) => strata().pipelineSnapshots(pipeline),
  snapshot: (id: string) => strata().snapshot(id),
  schedules: () => strata().schedules({ firings: 5 }),
  triggers: () => strata().triggers({ firings: 5 }),
  attempts: (stepRunId: string) => strata().attempts(...splitStepRunId(stepRunId)),
  runs: (f: RunFilter) => strata().runs(runsQuery(f)),
  run: (runId: string) => strata().run(runId),
  steps: (runId: string) => strata().steps(runId),
  dag: (runId: string) => strata().runDag(runId),
  step: (stepRunId: string) => strata().step(...splitStepRunId(stepRunId)),
  logs: (stepRunId: string, afterSeq: number, limit = 1000) => {
    const [runId, node] = splitStepRunId(stepRunId);
    return strata().logs(runId, { step: node, afterSeq, limit });
  },
  artifact: (id: string) => strata().artifact(id),
  preview: (id: string) => strata().preview(id),
  downloadUrl: (id: string) => strata().url(`/artifacts/${encodeURIComponent(id)}/content`),
  lineage: (id: string, depth = 4) => strata().artifactLineage(id, { direction: 'both', depth }),
  models: () => strata().models(),
  model: (name: string) => strata().model(name),
  promote: (model: string, body: { alias: string; version: number; reason: string; force: boolean }) =>
    strata().promote(model, body),
  rollback: (model: string, body: { alias: string; reason: string }) => strata().rollback(model, body),
  stacks: () => strata().stacks(),
  stack: (name: string) => strata().stack(name),
  metrics: async (pipeline: string, runs = 50) => (await strata().metrics({ pipeline, runs })).points,
};

let eventsOffered: Promise<boolean> | undefined;

/**
 * Whether this server has the live events endpoint, from its OpenAPI document (asked once): a server
 * without it gets polled, and the console stays free of 404s.
 */
function serverOffersEvents(): Promise<boolean> {
  eventsOffered ??= strata()
    .openapi()
    .then((doc) =>
      Object.keys((doc.paths ?? {}) as Record<string, unknown>).some((p) => p.endsWith('/events')),
    )
    .catch(() => true);
  return eventsOffered;
}

/**
 * Live events: the client's fetch-based stream (it sends the bearer token, which EventSource cannot),
 * reconnected with the last event id after a drop so nothing is missed.
 */
export function subscribe(
  filter: { runId?: string },
  onEvent: (event: LiveEvent) => void,
  onState?: (state: LiveState) => void,
): () => void {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  void (async () => {
    if (!(await serverOffersEvents())) {
      onState?.('unavailable');
      return;
    }
    while (!controller.signal.aborted) {
      try {
        // Live only once the server opened the stream (its `ready`), and the reconnecting is done
        // here, not in the client: its own retry loop hid a server that is down, and the page said
        // "live" (and skipped its fallback polling) the whole time.
        const stream = strata().events({
          signal: controller.signal,
          reconnect: false,
          onReady: (id) => {
            lastEventId = id;
            onState?.('live');
          },
          ...(filter.runId ? { runId: filter.runId } : {}),
          ...(lastEventId ? { lastEventId } : {}),
        });
        for await (const event of stream) {
          lastEventId = event.id;
          onEvent(event);
        }
      } catch (error) {
        // A server without the events endpoint: the pages poll instead of waiting for pushes.
        if (error instanceof StrataApiError && error.status === 404) {
          onState?.('unavailable');
          return;
        }
        // dropped or refused: say so, wait, reconnect
      }
      if (controller.signal.aborted) return;
      onState?.('reconnecting');
      await new Promise((r) => setTimeout(r, 1500));
    }
  })();
  return () => controller.abort();
}
