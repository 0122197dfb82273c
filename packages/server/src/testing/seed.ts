import type { RunStatus } from '@strata/core';
import type { StrataDatabase } from '@strata/core/plugin';

const statuses: RunStatus[] = ['completed', 'failed', 'running', 'cancelled', 'pending'];

/**
 * `count` runs of pipelines seed-a / seed-b on stacks s1 / s2 with statuses in rotation, created 1 s
 * apart from `start`, each with `steps` step rows, written in batches through the store's own API.
 */
export async function seedRuns(
  db: StrataDatabase,
  options: {
    count: number;
    steps?: number;
    start?: number;
    prefix?: string;
    stacks?: readonly [string, string];
  },
): Promise<void> {
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const prefix = options.prefix ?? 'seed';
  const snapshotId = `${prefix}-snap`;
  await db.saveSnapshot({
    id: snapshotId,
    pipelineName: `${prefix}-a`,
    body: {
      id: snapshotId,
      pipeline: `${prefix}-a`,
      module: 'x.ts',
      params: {},
      nodes: [],
      strataVersion: '0.1.0',
    },
    createdAt: start,
  });
  for (let i = 0; i < options.count; i++) {
    const id = `${prefix}-r${String(i).padStart(6, '0')}`;
    const status = statuses[i % statuses.length]!;
    const createdAt = start + i * 1000;
    const steps = Array.from({ length: options.steps ?? 1 }, (_, j) => ({
      id: `${id}/s${j}`,
      runId: id,
      nodeId: `s${j}`,
      stepName: `s${j}`,
      mapIndex: -1,
      status: status === 'completed' ? ('completed' as const) : ('pending' as const),
      cacheKey: null,
      cacheParts: null,
      cacheReason: null,
      cachedFrom: null,
      attempt: 1,
      startedAt: createdAt,
      endedAt: createdAt + 10,
      error: null,
      errorStack: null,
    }));
    await db.createRun(
      {
        id,
        name: `${prefix} run ${i}`,
        pipelineName: i % 2 === 0 ? `${prefix}-a` : `${prefix}-b`,
        snapshotId,
        status,
        stackName: i % 3 === 0 ? (options.stacks?.[0] ?? 's1') : (options.stacks?.[1] ?? 's2'),
        orchestrator: 'local',
        params: { i },
        environment: null,
        createdAt,
        startedAt: createdAt,
        endedAt: status === 'running' || status === 'pending' ? null : createdAt + 500,
        error: status === 'failed' ? 'boom' : null,
        resumedFrom: null,
      },
      steps,
    );
  }
}

/**
 * One artifact (kind `table` on odd i, `json` on even) for the first step of `count` runs seeded by
 * `seedRuns` with the same prefix, recorded through the store's own completion API. Artifacts share
 * their creation time in pairs, so keyset paging must break ties by id.
 */
export async function seedArtifacts(
  db: StrataDatabase,
  options: { count: number; prefix?: string; start?: number },
): Promise<void> {
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const prefix = options.prefix ?? 'seed';
  await Promise.all(
    Array.from({ length: options.count }, (_, i) => {
      const stepRunId = `${prefix}-r${String(i).padStart(6, '0')}/s0`;
      return db.completeStepRun({
        stepRunId,
        status: 'completed',
        patch: {},
        artifacts: [
          {
            id: `${prefix}-a${String(i).padStart(6, '0')}`,
            uri: `file:///nowhere/${i}`,
            storeKey: `sha256/${i}`,
            storeIdentity: 'local:/nowhere',
            sha256: i.toString(16).padStart(64, '0'),
            size: 42,
            kind: i % 2 === 1 ? 'table' : 'json',
            materializer: 'json',
            materializerVersion: 1,
            summary: null,
            producerStepRunId: stepRunId,
            createdAt: start + Math.floor(i / 2) * 1000,
          },
        ],
        events: [
          {
            artifactId: `${prefix}-a${String(i).padStart(6, '0')}`,
            type: 'output',
            name: 'out',
            position: 0,
          },
        ],
        metadata: [],
      });
    }),
  );
}
