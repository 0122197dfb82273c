import {
  type AliasMove,
  type ArtifactRecord,
  checkAliasName,
  DEFAULT_ALIAS,
  type JsonValue,
  type ModelRegistry,
  type ModelSummary,
  parseModelRef,
  type RegisterModelInput,
  StrataError,
  versionList,
} from '@strata/core';
import {
  type AliasChange,
  type ArtifactStore,
  type FlavorContext,
  type ModelVersionRecord,
  rollbackTarget,
  type TrackerMetadata,
} from '@strata/core/plugin';
import { historyFromTags, historyTagKey, type StoredMove } from './alias-history.js';
import type { MlflowModelRegistryConfig } from './flavor.js';
import { isMlflowCode, MlflowError, MlflowRestClient } from './rest-client.js';
import { type MlflowModelVersion, type MlflowRegisteredModel, TAG, toVersionRecord } from './versions.js';

/** Tag values above this are dropped (with a marker tag) rather than refused: MLflow's limit is 100 000. */
const MAX_JSON_TAG = 90_000;

/**
 * The `mlflow` model registry: registered models, versions, aliases, tags and descriptions live in
 * MLflow (so MLflow's UI and Python clients see them); the model bytes stay in the stack's artifact
 * store and each version points at them by URI, with the Strata artifact, run and sha256 as tags.
 * A version is created in one MLflow call with all its tags, after the artifact's bytes were found,
 * so there is never a half-registered version; an alias only moves to a version whose bytes exist.
 */
export class MlflowModelRegistry implements ModelRegistry {
  readonly flavor = 'mlflow';
  readonly rest: MlflowRestClient;

  constructor(
    config: MlflowModelRegistryConfig,
    private readonly context: FlavorContext,
  ) {
    this.rest = new MlflowRestClient(config, { type: 'model_registry', name: context.componentName });
  }

  async register(input: RegisterModelInput): Promise<ModelVersionRecord> {
    const artifact = await this.checkedArtifact(input.artifactId, `register ${input.model}`);
    await this.ensureModel(input.model);
    const tags: { key: string; value: string }[] = [
      { key: TAG.artifactId, value: artifact.id },
      { key: TAG.sha256, value: artifact.sha256 },
      { key: TAG.store, value: artifact.storeIdentity },
      ...(input.runId ? [{ key: TAG.runId, value: input.runId }] : []),
      ...jsonTag(TAG.metrics, input.metrics ?? {}),
      ...jsonTag(TAG.metadata, input.metadata ?? {}),
    ];
    const { model_version } = await this.rest.post<{ model_version: MlflowModelVersion }>(
      `register a version of model "${input.model}"`,
      'model-versions/create',
      {
        name: input.model,
        source: sourceOf(artifact),
        tags,
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(await this.trackedRunId(input.runId)),
      },
    );
    return toVersionRecord({ ...model_version, tags });
  }

  async listModels(): Promise<ModelSummary[]> {
    const out: ModelSummary[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.rest.get<{
        registered_models?: MlflowRegisteredModel[];
        next_page_token?: string;
      }>('list registered models', 'registered-models/search', { max_results: 1000, page_token: pageToken });
      for (const m of page.registered_models ?? []) {
        const latest = Math.max(0, ...(m.latest_versions ?? []).map((v) => Number(v.version)));
        out.push({
          name: m.name,
          description: m.description || null,
          createdAt: Number(m.creation_timestamp),
          latestVersion: latest,
          aliases: Object.fromEntries((m.aliases ?? []).map((a) => [a.alias, Number(a.version)])),
        });
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async versions(model: string): Promise<ModelVersionRecord[]> {
    const out: ModelVersionRecord[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.rest.get<{ model_versions?: MlflowModelVersion[]; next_page_token?: string }>(
        `list the versions of model "${model}"`,
        'model-versions/search',
        { filter: `name='${model.replace(/'/g, "\\'")}'`, max_results: 1000, page_token: pageToken },
      );
      for (const v of page.model_versions ?? []) out.push(toVersionRecord(v));
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return out.sort((a, b) => a.version - b.version);
  }

  async resolve(ref: string): Promise<ModelVersionRecord> {
    const parsed = parseModelRef(ref);
    let version = parsed.version;
    if (parsed.alias !== undefined) {
      version = await this.aliasVersion(parsed.model, parsed.alias);
      if (version === undefined) {
        throw new StrataError(
          `model "${parsed.model}" has no alias "${parsed.alias}" in MLflow at ${this.rest.baseUrl}`,
          {
            code: 'unknown_model_alias',
            field: 'model',
            value: ref,
            fix: `promote a version first (strata models promote ${parsed.model} VERSION --alias ${parsed.alias})`,
          },
        );
      }
    }
    if (version === undefined) version = (await this.versions(parsed.model)).at(-1)?.version;
    const found = version === undefined ? undefined : await this.version(parsed.model, version);
    const known = found || version === undefined ? [] : await this.versions(parsed.model);
    if (!found && known.length > 0) {
      throw new StrataError(
        `model "${parsed.model}" has no version ${version} in MLflow at ${this.rest.baseUrl} (it has ${versionList(known.map((v) => v.version))})`,
        {
          code: 'unknown_model_version',
          field: 'model',
          value: ref,
          fix: `pick one of \`strata models versions ${parsed.model}\``,
        },
      );
    }
    if (!found) {
      throw new StrataError(`model "${ref}" is not registered in MLflow at ${this.rest.baseUrl}`, {
        code: 'unknown_model_version',
        field: 'model',
        value: ref,
        fix: 'list the registered models with `strata models list`',
      });
    }
    return found;
  }

  async aliasVersion(model: string, alias: string): Promise<number | undefined> {
    try {
      const { model_version } = await this.rest.get<{ model_version: MlflowModelVersion }>(
        `read alias ${model}@${alias}`,
        'registered-models/alias',
        { name: model, alias },
      );
      return Number(model_version.version);
    } catch (error) {
      // MLflow answers a missing alias with INVALID_PARAMETER_VALUE, a missing model with RESOURCE_DOES_NOT_EXIST.
      if (isMlflowCode(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      if (
        isMlflowCode(error, 'INVALID_PARAMETER_VALUE') &&
        /alias .* not found/i.test(String((error as Error).message))
      )
        return undefined;
      throw error;
    }
  }

  async promote(model: string, version: number, move: AliasMove): Promise<AliasChange> {
    return this.move(model, version, checkAliasName(move.alias ?? DEFAULT_ALIAS), 'promote', move);
  }

  async rollback(model: string, move: AliasMove): Promise<AliasChange> {
    const alias = checkAliasName(move.alias ?? DEFAULT_ALIAS);
    const registered = await this.registeredModel(model);
    if (!registered) throw this.unknownModel(model);
    const target = rollbackTarget(historyFromTags(model, registered.tags ?? [], alias), alias);
    if (target === undefined && !(registered.aliases ?? []).some((a) => a.alias === alias)) {
      throw new StrataError(
        `model "${model}" has no alias "${alias}" in MLflow at ${this.rest.baseUrl}: there is nothing to roll back`,
        {
          code: 'unknown_model_alias',
          field: 'alias',
          value: `${model}@${alias}`,
          fix: `see its aliases with \`strata models versions ${model}\`, or promote a version first (strata models promote ${model} VERSION --alias ${alias})`,
        },
      );
    }
    if (target === undefined) {
      throw new StrataError(`alias "${alias}" of model "${model}" has no earlier version to roll back to`, {
        code: 'nothing_to_roll_back',
        field: 'alias',
        value: `${model}@${alias}`,
        fix: `see its history with \`strata models show ${model}\`, or promote a version explicitly`,
      });
    }
    return this.move(model, target, alias, 'rollback', move);
  }

  async history(model: string, alias?: string): Promise<AliasChange[]> {
    const registered = await this.registeredModel(model);
    return registered ? historyFromTags(model, registered.tags ?? [], alias) : [];
  }

  async artifact(version: ModelVersionRecord): Promise<ArtifactRecord> {
    if (!version.artifactId) {
      throw new StrataError(
        `${version.model}@${version.version} in MLflow at ${this.rest.baseUrl} was not registered by Strata (no ${TAG.artifactId} tag)`,
        {
          code: 'missing_artifact',
          field: 'model',
          value: `${version.model}@${version.version}`,
          fix: 'serve a version that a Strata pipeline registered (strata models versions MODEL)',
        },
      );
    }
    const found = await this.context.database.getArtifact(version.artifactId);
    if (!found) {
      throw new StrataError(
        `artifact ${version.artifactId} of ${version.model}@${version.version} is missing`,
        {
          code: 'missing_artifact',
          field: 'artifactId',
          value: version.artifactId,
          fix: "this project's metadata store has no such artifact: use the project (and metadata store) that registered the version",
        },
      );
    }
    return found;
  }

  /**
   * Appends the move to the history, then points MLflow's alias at the newest move's version and
   * reads both back until they agree: two machines promoting at once both end on the same version,
   * the one whose move is last in the history.
   */
  private async move(
    model: string,
    version: number,
    alias: string,
    action: StoredMove['action'],
    move: AliasMove,
  ): Promise<AliasChange> {
    const record = await this.version(model, version);
    if (!record && !(await this.registeredModel(model))) throw this.unknownModel(model);
    if (!record) {
      throw new StrataError(`model "${model}" has no version ${version} in MLflow at ${this.rest.baseUrl}`, {
        code: 'unknown_model_version',
        field: 'version',
        value: version,
        fix: `pick one of \`strata models versions ${model}\``,
      });
    }
    await this.checkedArtifact(record.artifactId, `${action} ${model}@${alias} to v${version}`);
    const at = Date.now();
    const key = historyTagKey(alias, at);
    const stored: StoredMove = { alias, version, action, reason: move.reason, actor: move.actor, at };
    await this.rest.post(`record the ${action} of ${model}@${alias}`, 'registered-models/set-tag', {
      name: model,
      key,
      value: JSON.stringify(stored),
    });
    for (let attempt = 0; attempt < 10; attempt++) {
      const newest = (await this.history(model, alias)).at(-1);
      if (!newest) break;
      if ((await this.aliasVersion(model, alias)) === newest.version) break;
      try {
        await this.rest.post(`move alias ${model}@${alias}`, 'registered-models/alias', {
          name: model,
          alias,
          version: String(newest.version),
        });
      } catch (error) {
        // MLflow sets an alias as delete-then-insert without a lock: when two machines move the same
        // alias at once, the second insert fails on the unique key. The other machine moved it; the
        // loop reads it back and moves it again if the newest move is not the one it points at.
        if (!isAliasInsertRace(error) || attempt === 9) throw error;
      }
    }
    const mine = (await this.history(model, alias)).find(
      (c) => c.at === at && c.version === version && c.actor === move.actor,
    );
    return mine ?? { model, ...stored, previousVersion: null };
  }

  private unknownModel(model: string): StrataError {
    return new StrataError(`no model named "${model}" in MLflow at ${this.rest.baseUrl}`, {
      code: 'unknown_model',
      field: 'model',
      value: model,
      fix: 'list the models with `strata models list`; a model exists once a version is registered',
    });
  }

  private async version(model: string, version: number): Promise<ModelVersionRecord | undefined> {
    try {
      const { model_version } = await this.rest.get<{ model_version: MlflowModelVersion }>(
        `read ${model} v${version}`,
        'model-versions/get',
        { name: model, version },
      );
      return toVersionRecord(model_version);
    } catch (error) {
      if (isMlflowCode(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    }
  }

  private async registeredModel(model: string): Promise<MlflowRegisteredModel | undefined> {
    try {
      return (
        await this.rest.get<{ registered_model: MlflowRegisteredModel }>(
          `read model "${model}"`,
          'registered-models/get',
          { name: model },
        )
      ).registered_model;
    } catch (error) {
      if (isMlflowCode(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    }
  }

  private async ensureModel(model: string): Promise<void> {
    try {
      await this.rest.post(`create registered model "${model}"`, 'registered-models/create', {
        name: model,
        tags: [{ key: TAG.createdBy, value: 'strata' }],
      });
    } catch (error) {
      if (!isMlflowCode(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
    }
  }

  /** The artifact row, and proof that its bytes are in the stack's artifact store. */
  private async checkedArtifact(artifactId: string, operation: string): Promise<ArtifactRecord> {
    const artifact = artifactId ? await this.context.database.getArtifact(artifactId) : undefined;
    if (!artifact) {
      throw new StrataError(`cannot ${operation}: artifact "${artifactId}" is not in the metadata store`, {
        code: 'unknown_artifact',
        field: 'artifactId',
        value: artifactId,
        fix: 'register an artifact that a run of this project produced (see strata artifacts list)',
      });
    }
    if (artifact.storeKey === '') return artifact; // inline: the bytes live in the metadata row
    const store = await this.context.component?.<ArtifactStore>('artifact_store');
    if (store && store.identity === artifact.storeIdentity && !(await store.exists(artifact.storeKey))) {
      throw new StrataError(
        `cannot ${operation}: the bytes of artifact ${artifact.id} are missing from ${store.uri(artifact.storeKey)}`,
        {
          code: 'missing_artifact_bytes',
          field: 'artifactId',
          value: artifact.id,
          fix: 're-run the step that produced the model (strata run ... --no-cache) and register the new artifact',
        },
      );
    }
    return artifact;
  }

  /** Links the version to the MLflow run of the same Strata run when the tracker uses this server. */
  private async trackedRunId(runId: string | null | undefined): Promise<{ run_id?: string }> {
    if (!runId) return {};
    const tracker = (await this.context.database.getMetadata('run', runId)).tracker as
      | TrackerMetadata
      | undefined;
    const server = (tracker?.data as { server?: string } | undefined)?.server;
    return tracker?.flavor === 'mlflow' && tracker.id && server === this.rest.baseUrl
      ? { run_id: tracker.id }
      : {};
  }
}

/** MLflow refuses local paths as a version source: those (and inline data) are named by Strata id. */
function sourceOf(artifact: ArtifactRecord): string {
  return /^(file|data):/.test(artifact.uri) || !artifact.uri.includes('://')
    ? `strata://artifacts/${artifact.id}`
    : artifact.uri;
}

function jsonTag(key: string, value: JsonValue): { key: string; value: string }[] {
  const text = JSON.stringify(value);
  return text.length <= MAX_JSON_TAG
    ? [{ key, value: text }]
    : [{ key: `${key}_omitted`, value: `${text.length} characters` }];
}

function isAliasInsertRace(error: unknown): boolean {
  return (
    error instanceof MlflowError &&
    /UNIQUE constraint failed: registered_model_aliases|duplicate key value.*registered_model_aliases/i.test(
      error.message,
    )
  );
}
