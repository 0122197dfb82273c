import {
  type AliasMove,
  type ArtifactRecord,
  checkAliasName,
  DEFAULT_ALIAS,
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
  isInline,
  type MetadataStore,
  type ModelRegistryStore,
  type ModelVersionRecord,
  rollbackTarget,
} from '@strata/core/plugin';

/** The stack's artifact store, asked for only when a version's bytes are checked (built on first use). */
export type ArtifactStoreLookup = () => Promise<ArtifactStore | undefined>;

/**
 * The `local` model registry: models, versions and alias history in the project's metadata store
 * (SQLite or PostgreSQL), so the CLI, the dashboard and the model server see the same registry.
 * Given the stack's artifact store, it refuses to register a version or move an alias to a version
 * whose bytes are gone from it (a server following the alias would fail to load it).
 */
export class LocalModelRegistry implements ModelRegistry {
  readonly flavor = 'local';
  constructor(
    private readonly store: ModelRegistryStore & Pick<MetadataStore, 'getArtifact'>,
    private readonly artifactStore?: ArtifactStoreLookup,
  ) {}

  async register(input: RegisterModelInput): Promise<ModelVersionRecord> {
    await this.checkBytes(input.artifactId, `register ${input.model}`);
    return this.store.registerModelVersion({
      model: input.model,
      artifactId: input.artifactId,
      runId: input.runId ?? null,
      metrics: input.metrics ?? {},
      metadata: input.metadata ?? {},
      ...(input.description === undefined ? {} : { description: input.description }),
    });
  }

  listModels(): Promise<ModelSummary[]> {
    return this.store.listModels();
  }

  versions(model: string): Promise<ModelVersionRecord[]> {
    return this.store.listModelVersions(model);
  }

  async resolve(ref: string): Promise<ModelVersionRecord> {
    const parsed = parseModelRef(ref);
    let version = parsed.version;
    if (parsed.alias !== undefined) {
      version = await this.store.getAlias(parsed.model, parsed.alias);
      if (version === undefined) {
        throw new StrataError(`model "${parsed.model}" has no alias "${parsed.alias}"`, {
          code: 'unknown_model_alias',
          field: 'model',
          value: ref,
          fix: `promote a version first (strata models promote ${parsed.model} VERSION --alias ${parsed.alias})`,
        });
      }
    }
    if (version === undefined) {
      const all = await this.store.listModelVersions(parsed.model);
      version = all.at(-1)?.version;
    }
    const found = version === undefined ? undefined : await this.store.getModelVersion(parsed.model, version);
    const known = found ? [] : await this.store.listModelVersions(parsed.model);
    if (!found && known.length > 0) {
      // The model exists: name the missing version, not the model, as the thing that is not there.
      throw new StrataError(
        `model "${parsed.model}" has no version ${version} (it has ${versionList(known.map((v) => v.version))})`,
        {
          code: 'unknown_model_version',
          field: 'model',
          value: ref,
          fix: `pick one of \`strata models versions ${parsed.model}\``,
        },
      );
    }
    if (!found) {
      throw new StrataError(`model "${ref}" is not registered`, {
        code: 'unknown_model_version',
        field: 'model',
        value: ref,
        fix: 'list the registered models with `strata models list`',
      });
    }
    return found;
  }

  aliasVersion(model: string, alias: string): Promise<number | undefined> {
    return this.store.getAlias(model, alias);
  }

  async promote(model: string, version: number, move: AliasMove): Promise<AliasChange> {
    const alias = checkAliasName(move.alias ?? DEFAULT_ALIAS);
    const target = await this.store.getModelVersion(model, version);
    if (target) await this.checkBytes(target.artifactId, `promote ${model}@${version}`);
    return this.store.setAlias({
      model,
      alias,
      version,
      action: 'promote',
      reason: move.reason,
      actor: move.actor,
    });
  }

  async rollback(model: string, move: AliasMove): Promise<AliasChange> {
    const alias = checkAliasName(move.alias ?? DEFAULT_ALIAS);
    const target = rollbackTarget(await this.store.aliasHistory(model, alias), alias);
    // An unknown model has no history either: say there is no such model, not that it has nothing to roll back.
    if (target === undefined && (await this.store.listModelVersions(model)).length === 0) {
      throw new StrataError(`no model named "${model}" in the registry`, {
        code: 'unknown_model',
        field: 'model',
        value: model,
        fix: 'list the models with `strata models list`; a model exists once a version is registered',
      });
    }
    if (target === undefined && (await this.store.getAlias(model, alias)) === undefined) {
      throw new StrataError(`model "${model}" has no alias "${alias}": there is nothing to roll back`, {
        code: 'unknown_model_alias',
        field: 'alias',
        value: `${model}@${alias}`,
        fix: `see its aliases with \`strata models versions ${model}\`, or promote a version first (strata models promote ${model} VERSION --alias ${alias})`,
      });
    }
    if (target === undefined) {
      throw new StrataError(`alias "${alias}" of model "${model}" has no earlier version to roll back to`, {
        code: 'nothing_to_roll_back',
        field: 'alias',
        value: `${model}@${alias}`,
        fix: `see its history with \`strata models show ${model}\`, or promote a version explicitly`,
      });
    }
    const version = await this.store.getModelVersion(model, target);
    if (version) await this.checkBytes(version.artifactId, `roll ${model}@${alias} back to ${target}`);
    return this.store.setAlias({
      model,
      alias,
      version: target,
      action: 'rollback',
      reason: move.reason,
      actor: move.actor,
    });
  }

  history(model: string, alias?: string): Promise<AliasChange[]> {
    return this.store.aliasHistory(model, alias);
  }

  async artifact(version: ModelVersionRecord): Promise<ArtifactRecord> {
    const found = await this.store.getArtifact(version.artifactId);
    if (!found) {
      throw new StrataError(
        `artifact ${version.artifactId} of ${version.model}@${version.version} is missing`,
        {
          code: 'missing_artifact',
          field: 'artifactId',
          value: version.artifactId,
          fix: 'the metadata store lost the artifact row; register the model again from a run that has it',
        },
      );
    }
    return found;
  }

  /**
   * Throws missing_artifact_bytes when the artifact's bytes are gone from the stack's artifact store.
   * An unknown artifact is left to the metadata store (unknown_artifact); inline artifacts keep their
   * bytes in the row; an artifact written to another store (identity) cannot be checked from here.
   */
  private async checkBytes(artifactId: string, operation: string): Promise<void> {
    if (!this.artifactStore) return;
    const artifact = await this.store.getArtifact(artifactId);
    if (!artifact || isInline(artifact)) return;
    const store = await this.artifactStore();
    if (!store || store.identity !== artifact.storeIdentity) return;
    if (await store.exists(artifact.storeKey)) return;
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
}
