import type { SqlStrataDatabase } from '../../packages/metadata/src/index.js';
import { createClient } from '../../packages/server/src/client/index.js';
import { summarize } from './measure.js';

/**
 * SSE latency: one run with `samples` pending steps; each step is completed through the store (the
 * StepRunner's completeStepRun, from this process: another writer than the server, as in real use),
 * and the time from the commit returning to the step's `completed` event arriving on an open
 * `GET /events` stream is taken. Completions are spaced `gapMs` apart so they land at every phase of
 * SQLite's 100 ms poll.
 */
export async function sseLatency(db: SqlStrataDatabase, url: string, samples: number, gapMs: number) {
  const runId = `sse-${Date.now()}`;
  const now = Date.now();
  await db.createRun(
    {
      id: runId,
      name: 'sse',
      pipelineName: 'sse',
      snapshotId: 'snap-0',
      status: 'running',
      stackName: 'default',
      orchestrator: 'local',
      params: {},
      environment: null,
      createdAt: now,
      startedAt: now,
      endedAt: null,
      error: null,
      resumedFrom: null,
    },
    Array.from({ length: samples }, (_, i) => ({
      id: `${runId}/n${i}`,
      runId,
      nodeId: `n${i}`,
      stepName: `n${i}`,
      mapIndex: -1,
      status: 'running' as const,
      cacheKey: null,
      cacheParts: null,
      cacheReason: null,
      cachedFrom: null,
      attempt: 1,
      startedAt: now,
      endedAt: null,
      error: null,
      errorStack: null,
    })),
  );
  const committed = new Map<string, number>();
  const arrived = new Map<string, number>();
  const controller = new AbortController();
  let ready: () => void = () => {};
  const isReady = new Promise<void>((r) => {
    ready = r;
  });
  const reading = (async () => {
    for await (const e of createClient({ baseUrl: url }).events({
      types: ['step'],
      runId,
      signal: controller.signal,
      reconnect: false,
      onReady: () => ready(),
    })) {
      if (e.type === 'step' && e.data.status === 'completed')
        arrived.set(e.data.stepRunId, performance.now());
    }
  })().catch(() => {});
  await Promise.race([
    isReady,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('the event stream did not open within 30 s')), 30_000),
    ),
  ]);
  for (let i = 0; i < samples; i++) {
    const id = `${runId}/n${i}`;
    await db.completeStepRun({
      stepRunId: id,
      status: 'completed',
      patch: { endedAt: Date.now() },
      artifacts: [],
      events: [],
      metadata: [],
    });
    committed.set(id, performance.now());
    await new Promise((r) => setTimeout(r, gapMs));
  }
  for (const deadline = Date.now() + 30_000; arrived.size < samples && Date.now() < deadline; )
    await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  await reading;
  const ms = [...committed].flatMap(([id, t]) => (arrived.has(id) ? [arrived.get(id)! - t] : []));
  return { ...summarize(ms), max: Math.max(...ms), missed: samples - ms.length };
}
