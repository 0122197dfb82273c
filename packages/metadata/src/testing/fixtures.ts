import type { ArtifactRecord, RunRecord, StepRunRecord } from '@strata/core';
import type { CacheParts, ComponentRecord, Snapshot, SnapshotNode } from '@strata/core/plugin';

/** Record builders for tests: every field filled with a plain default, overridable. */

/** A snapshot body with one plain node per name (what the store parses a stored body against). */
export function snapshotBody(
  id: string,
  nodes: readonly string[],
  overrides: Partial<Snapshot> = {},
): Snapshot {
  const node = (name: string): SnapshotNode => ({
    id: name,
    step: name,
    codeHash: `code-${name}`,
    params: {},
    inputs: {},
    outputs: { out: { kind: 'json', materializer: 'json' } },
    after: [],
    cache: { enabled: true },
  });
  return {
    id,
    pipeline: 'train',
    module: 'pipelines/train.ts',
    params: {},
    nodes: nodes.map(node),
    strataVersion: '0.1.0',
    ...overrides,
  };
}

/** Cache key parts with the given code hash and no inputs. */
export function cacheParts(code: string, overrides: Partial<CacheParts> = {}): CacheParts {
  return { code, params: {}, inputs: {}, outputs: { out: 'json@1' }, store: 'local:test', ...overrides };
}

export function runRecord(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: `run ${id}`,
    pipelineName: 'train',
    snapshotId: `snap-${id}`,
    status: 'running',
    stackName: 'default',
    orchestrator: 'local',
    params: { lr: 0.1 },
    environment: { git: 'abc123', dirty: false },
    createdAt: 1_000,
    startedAt: null,
    endedAt: null,
    error: null,
    resumedFrom: null,
    ...overrides,
  };
}

export function stepRunRecord(
  id: string,
  runId: string,
  overrides: Partial<StepRunRecord> = {},
): StepRunRecord {
  return {
    id,
    runId,
    nodeId: id,
    stepName: id,
    mapIndex: -1,
    status: 'pending',
    cacheKey: null,
    cacheParts: null,
    cacheReason: null,
    cachedFrom: null,
    attempt: 0,
    startedAt: null,
    endedAt: null,
    error: null,
    errorStack: null,
    ...overrides,
  };
}

export function artifactRecord(
  id: string,
  producerStepRunId: string,
  overrides: Partial<ArtifactRecord> = {},
): ArtifactRecord {
  return {
    id,
    uri: `file:///store/${id}`,
    storeKey: `sha256/${id}`,
    storeIdentity: 'local:/store',
    sha256: `sha-${id}`,
    size: 42,
    kind: 'json',
    materializer: 'json',
    materializerVersion: 1,
    summary: { preview: [1, 2, 3] },
    producerStepRunId,
    createdAt: 2_000,
    ...overrides,
  };
}

export function componentRecord(
  type: string,
  name: string,
  overrides: Partial<ComponentRecord> = {},
): ComponentRecord {
  return {
    type,
    name,
    flavor: 'local',
    config: { path: `/tmp/${name}` },
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}
