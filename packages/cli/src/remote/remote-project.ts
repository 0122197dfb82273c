import type {
  ArtifactRecord,
  GatedMove,
  GatedPromotion,
  JsonValue,
  LogLevel,
  LogLine,
  MetadataOwner,
  ModelRegistry,
  RunRecord,
  StepRunRecord,
} from '@strata/core';
import { StrataError } from '@strata/core';
import type {
  AliasChange,
  ArtifactLineage,
  ArtifactQuery,
  ModelVersionRecord,
  RunQuery,
} from '@strata/core/plugin';
import type { Project } from '@strata/project';
import type { Artifact, StrataClient } from '@strata/server/client';

function unavailable(what: string): never {
  throw new StrataError(`${what} is not available through a server connection`, {
    code: 'remote_unsupported',
    field: 'command',
    value: what,
    fix: 'run it where the metadata store is reachable, or `strata disconnect` first',
  });
}

const asRecord = (a: Artifact): ArtifactRecord => ({ ...a, storeKey: '', summary: a.summary as JsonValue });

/** `run/node` or `run/node[i]` -> [run, node]. */
function splitStepId(id: string): [string, string] {
  const i = id.indexOf('/');
  return [id.slice(0, i), id.slice(i + 1)];
}

/**
 * Up to `want` items, page after page: the API answers at most 200 per request, and the local store
 * answers `runs list -n 1000` with 1000, so a connected CLI must not stop at the first page.
 */
async function pages<T>(
  want: number,
  read: (
    limit: number,
    cursor: string | undefined,
  ) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(Math.min(want - out.length, 200), cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined && out.length < want);
  return out.slice(0, want);
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/**
 * The read side of the metadata store and the model registry over the API, shaped like a Project so
 * the read commands (runs, artifacts, lineage, models, logs, pipelines) and the model actions work
 * unchanged against a server; anything else says it needs the store itself.
 */
export function remoteProject(root: string, api: StrataClient): Project {
  const database = {
    url: 'remote',
    shared: true,
    // Liveness is the server's to judge (it reads the store): no owner rows here, so readers that
    // reconcile runs (runs list/show/logs) leave the statuses the server reports as they are.
    owners: async () => [],
    listPipelines: () => api.pipelines(),
    getRun: (id: string) => orUndefined(api.run(id)) as Promise<RunRecord | undefined>,
    listRuns: (q: RunQuery = {}) =>
      pages(q.limit ?? 50, async (limit, cursor) =>
        api.runs({
          limit,
          ...(cursor === undefined ? {} : { cursor }),
          ...(q.pipelineName ? { pipeline: q.pipelineName } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.before === undefined ? {} : { to: q.before }),
        }),
      ) as Promise<RunRecord[]>,
    listStepRuns: (runId: string) => api.steps(runId) as Promise<StepRunRecord[]>,
    getStepRun: async (id: string) => {
      const [run, node] = splitStepId(id);
      return (await orUndefined(api.step(run, node)))?.step as StepRunRecord | undefined;
    },
    readLogs: async (q: {
      stepRunId?: string;
      runId?: string;
      afterSeq?: number;
      level?: LogLevel;
      limit?: number;
    }) => {
      // The API pages a step's log by seq; a run's steps are read one by one and merged in the
      // store's order (at, seq, step run), as readLogs returns them.
      const stepIds = q.stepRunId ? [q.stepRunId] : (await api.steps(q.runId!)).map((s) => s.id);
      const want = q.limit ?? Number.POSITIVE_INFINITY;
      const lines: LogLine[] = [];
      for (const stepId of stepIds) {
        const [run, node] = splitStepId(stepId);
        let after = q.afterSeq;
        for (;;) {
          const got = await api.logs(run, {
            step: node,
            ...(after === undefined ? {} : { afterSeq: after }),
            ...(q.level === undefined ? {} : { level: q.level }),
            limit: 5000,
          });
          lines.push(...(got.items as LogLine[]));
          if (got.nextAfterSeq === undefined || (q.stepRunId && lines.length >= want)) break;
          after = got.nextAfterSeq;
        }
      }
      lines.sort((a, b) => a.at - b.at || a.seq - b.seq || (a.stepRunId < b.stepRunId ? -1 : 1));
      return lines.slice(0, want);
    },
    // A step run's inputs and outputs with their artifacts (e.g. `artifacts lineage` walking upstream
    // to the data sources a model came from): the step's io, each artifact read from the server.
    stepRunEvents: async (stepRunId: string) => {
      const [run, node] = splitStepId(stepRunId);
      const detail = await orUndefined(api.step(run, node));
      if (!detail) return [];
      return Promise.all(
        detail.io.map(async (io) => ({
          stepRunId,
          artifactId: io.artifactId,
          type: io.type,
          name: io.name,
          position: io.position,
          artifact: asRecord((await api.artifact(io.artifactId)).artifact),
        })),
      );
    },
    getArtifact: async (id: string) => {
      const detail = await orUndefined(api.artifact(id));
      return detail ? asRecord(detail.artifact) : undefined;
    },
    listArtifacts: async (q: ArtifactQuery = {}) =>
      (
        await pages(q.limit ?? 50, (limit, cursor) =>
          api.artifacts({
            limit,
            ...(cursor === undefined ? {} : { cursor }),
            ...(q.kind ? { kind: q.kind } : {}),
            ...(q.sha256 ? { sha256: q.sha256 } : {}),
          }),
        )
      ).map(asRecord),
    lineage: async (id: string): Promise<ArtifactLineage | undefined> => {
      const d = await orUndefined(api.artifact(id));
      if (!d) return undefined;
      return {
        artifact: asRecord(d.artifact),
        producers: d.producers as StepRunRecord[],
        consumers: d.consumers as { stepRun: StepRunRecord; name: string }[],
      };
    },
    getMetadata: async (owner: MetadataOwner, id: string): Promise<Record<string, JsonValue>> => {
      if (owner === 'artifact') return ((await api.artifact(id)).metadata ?? {}) as Record<string, JsonValue>;
      if (owner === 'step_run') {
        const [run, node] = splitStepId(id);
        return (await api.step(run, node)).metadata as Record<string, JsonValue>;
      }
      return {};
    },
    listStacks: () => api.stacks(),
    getStack: async (name: string) => (await orUndefined(api.stack(name)))?.stack,
    listComponents: (type?: string) => api.components(type),
    getComponent: async (type: string, name: string) =>
      (await api.components(type)).find((c) => c.name === name),
    close: async () => {},
  };
  const registry: Partial<ModelRegistry> & {
    promoteGated: (model: string, version: number, move: GatedMove) => Promise<GatedPromotion>;
  } = {
    listModels: () => api.models(),
    versions: async (model) => (await api.model(model)).versions as ModelVersionRecord[],
    history: async (model, alias) =>
      ((await api.model(model)).history as AliasChange[]).filter(
        (h) => alias === undefined || h.alias === alias,
      ),
    resolve: async (ref) => {
      const [name, at] = ref.trim().split('@') as [string, string | undefined];
      const detail = await api.model(name);
      const version =
        at === undefined
          ? (detail.model.aliases.production ?? detail.model.latestVersion)
          : /^\d+$/.test(at)
            ? Number(at)
            : detail.model.aliases[at];
      const found = detail.versions.find((v) => v.version === version);
      if (!found) {
        throw new StrataError(`model reference "${ref}" resolves to no version`, {
          code: 'unknown_model_version',
          field: 'model',
          value: ref,
          fix: 'list versions with `strata models versions`',
        });
      }
      return found as ModelVersionRecord;
    },
    aliasVersion: async (model, alias) => (await api.model(model)).model.aliases[alias],
    promote: (model, version, move) =>
      api.promote(model, {
        version,
        ...(move.alias ? { alias: move.alias } : {}),
        reason: move.reason,
      }) as Promise<AliasChange>,
    // The server applies the gate (promoteGated): see GatingRegistry in commands/models/registry.ts.
    promoteGated: async (model: string, version: number, move: GatedMove): Promise<GatedPromotion> => {
      const { gate, forced, ...change } = await api.promote(model, {
        version,
        ...(move.alias ? { alias: move.alias } : {}),
        reason: move.reason,
        ...(move.force ? { force: true } : {}),
      });
      return { change: change as AliasChange, gate, forced };
    },
    rollback: (model, move) =>
      api.rollback(model, {
        ...(move.alias ? { alias: move.alias } : {}),
        reason: move.reason,
      }) as Promise<AliasChange>,
  };
  const db = new Proxy(database, {
    get: (target, key) =>
      key in target ? target[key as keyof typeof target] : () => unavailable(`database.${String(key)}`),
  });
  return {
    root,
    config: { plugins: [] } as unknown as Project['config'],
    database: db as unknown as Project['database'],
    plugins: [],
    secrets: undefined as unknown as Project['secrets'],
    activeStackName: (override) => override ?? 'remote',
    buildStack: async () => unavailable('opening a stack'),
    component: async <T>(type: string) => {
      if (type === 'model_registry') return registry as T;
      return unavailable(`the ${type} component`);
    },
    close: async () => {},
  } as Project;
}
