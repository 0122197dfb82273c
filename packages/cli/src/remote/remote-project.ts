import type {
  ArtifactRecord,
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
    listRuns: async (q: RunQuery = {}) =>
      (
        await api.runs({
          limit: Math.min(q.limit ?? 50, 200),
          ...(q.pipelineName ? { pipeline: q.pipelineName } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.before === undefined ? {} : { to: q.before }),
        })
      ).items as RunRecord[],
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
      const [run, node] = q.stepRunId ? splitStepId(q.stepRunId) : [q.runId!, undefined];
      return (
        await api.logs(run, {
          ...(node === undefined ? {} : { step: node }),
          ...(q.afterSeq === undefined ? {} : { afterSeq: q.afterSeq }),
          ...(q.level === undefined ? {} : { level: q.level }),
          ...(q.limit === undefined ? {} : { limit: Math.min(q.limit, 5000) }),
        })
      ).items as LogLine[];
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
        await api.artifacts({
          limit: Math.min(q.limit ?? 50, 200),
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.sha256 ? { sha256: q.sha256 } : {}),
        })
      ).items.map(asRecord),
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
  const registry: Partial<ModelRegistry> = {
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
