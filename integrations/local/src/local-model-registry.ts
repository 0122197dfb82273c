import {
  type AliasMove,
  type ArtifactRecord,
  DEFAULT_ALIAS,
  type ModelRegistry,
  type ModelSummary,
  parseModelRef,
  type RegisterModelInput,
  StrataError,
} from '@strata/core';
import {
  type AliasChange,
  type MetadataStore,
  type ModelRegistryStore,
  type ModelVersionRecord,
  rollbackTarget,
} from '@strata/core/plugin';

/**
 * The `local` model registry: models, versions and alias history in the project's metadata store
 * (SQLite or PostgreSQL), so the CLI, the dashboard and the model server see the same registry.
 */
export class LocalModelRegistry implements ModelRegistry {
  readonly flavor = 'local';
  constructor(private readonly store: ModelRegistryStore & Pick<MetadataStore, 'getArtifact'>) {}

  register(input: RegisterModelInput): Promise<ModelVersionRecord> {
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

  promote(model: string, version: number, move: AliasMove): Promise<AliasChange> {
    return this.store.setAlias({
      model,
      alias: move.alias ?? DEFAULT_ALIAS,
      version,
      action: 'promote',
      reason: move.reason,
      actor: move.actor,
    });
  }

  async rollback(model: string, move: AliasMove): Promise<AliasChange> {
    const alias = move.alias ?? DEFAULT_ALIAS;
    const target = rollbackTarget(await this.store.aliasHistory(model, alias), alias);
    if (target === undefined) {
      throw new StrataError(`alias "${alias}" of model "${model}" has no earlier version to roll back to`, {
        code: 'nothing_to_roll_back',
        field: 'alias',
        value: `${model}@${alias}`,
        fix: `see its history with \`strata models show ${model}\`, or promote a version explicitly`,
      });
    }
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
}
