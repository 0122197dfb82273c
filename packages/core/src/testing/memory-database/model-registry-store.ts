import { StrataError } from '../../errors/strata-error.js';
import type {
  AliasChange,
  ModelRecord,
  ModelRegistryStore,
  ModelVersionRecord,
} from '../../metadata/model-registry-store.js';
import { checkName } from '../../metadata/names.js';
import { json, key, type MemoryTables, orderBy } from './tables.js';

function copyVersion(v: ModelVersionRecord): ModelVersionRecord {
  return { ...v, metrics: json(v.metrics), metadata: json(v.metadata) };
}

/** The local model registry's tables, in memory; versions and alias moves are numbered as in SQL. */
export class MemoryModelRegistryStore implements ModelRegistryStore {
  constructor(private readonly t: MemoryTables) {}

  async registerModelVersion(
    input: Omit<ModelVersionRecord, 'version' | 'createdAt'> & { description?: string },
  ): Promise<ModelVersionRecord> {
    checkName('model', input.model);
    if (!this.t.artifacts.has(input.artifactId)) {
      throw new StrataError(
        `cannot register a version of "${input.model}": artifact "${input.artifactId}" is not recorded`,
        {
          code: 'unknown_artifact',
          field: 'artifactId',
          value: input.artifactId,
          fix: 'register an artifact that a step run produced (see `strata artifacts list`)',
        },
      );
    }
    const now = Date.now();
    const model = this.t.models.get(input.model) ?? {
      description: input.description ?? null,
      latestVersion: 0,
      createdAt: now,
    };
    const version = model.latestVersion + 1;
    this.t.models.set(input.model, {
      ...model,
      latestVersion: version,
      ...(input.description === undefined ? {} : { description: input.description }),
    });
    const record: ModelVersionRecord = {
      model: input.model,
      version,
      artifactId: input.artifactId,
      runId: input.runId,
      metrics: json(input.metrics),
      metadata: json(input.metadata),
      createdAt: now,
    };
    this.t.modelVersions.set(key(input.model, version), record);
    return copyVersion(record);
  }

  async listModels(): Promise<(ModelRecord & { latestVersion: number; aliases: Record<string, number> })[]> {
    const aliases = [...this.t.aliases.entries()]
      .map(([k, version]) => {
        const [model, alias] = k.split('\u0000') as [string, string];
        return { model, alias, version };
      })
      .sort(orderBy((a) => a.alias));
    return [...this.t.models.entries()].sort(orderBy(([name]) => name)).map(([name, m]) => {
      const own: Record<string, number> = {};
      for (const a of aliases) if (a.model === name) own[a.alias] = a.version;
      return {
        name,
        description: m.description,
        createdAt: m.createdAt,
        latestVersion: m.latestVersion,
        aliases: own,
      };
    });
  }

  async listModelVersions(model: string): Promise<ModelVersionRecord[]> {
    return [...this.t.modelVersions.values()]
      .filter((v) => v.model === model)
      .sort(orderBy((v) => v.version))
      .map(copyVersion);
  }

  async getModelVersion(model: string, version: number): Promise<ModelVersionRecord | undefined> {
    const v = this.t.modelVersions.get(key(model, version));
    return v && copyVersion(v);
  }

  async getAlias(model: string, alias: string): Promise<number | undefined> {
    return this.t.aliases.get(key(model, alias));
  }

  async setAlias(change: Omit<AliasChange, 'previousVersion' | 'at'>): Promise<AliasChange> {
    checkName('alias', change.alias);
    if (change.action !== 'promote' && change.action !== 'rollback') {
      throw new StrataError(`alias action ${JSON.stringify(change.action)} is not one of promote, rollback`, {
        code: 'invalid_alias_action',
        field: 'action',
        value: change.action,
        fix: "use 'promote' to move an alias forward or 'rollback' to move it back",
      });
    }
    if (!this.t.models.has(change.model)) {
      throw new StrataError(`no model named "${change.model}" in the registry`, {
        code: 'unknown_model',
        field: 'model',
        value: change.model,
        fix: 'list the models with `strata models list`; a model exists once a version is registered',
      });
    }
    if (!this.t.modelVersions.has(key(change.model, change.version))) {
      throw new StrataError(`model "${change.model}" has no version ${change.version}`, {
        code: 'unknown_model_version',
        field: 'version',
        value: change.version,
        fix: `list the versions with \`strata models versions ${change.model}\``,
      });
    }
    const aliasKey = key(change.model, change.alias);
    const recorded: AliasChange = {
      model: change.model,
      alias: change.alias,
      version: change.version,
      previousVersion: this.t.aliases.get(aliasKey) ?? null,
      action: change.action,
      reason: change.reason,
      actor: change.actor,
      at: Date.now(),
    };
    this.t.aliases.set(aliasKey, change.version);
    this.t.aliasHistory.push(recorded);
    return { ...recorded };
  }

  async aliasHistory(model: string, alias?: string): Promise<AliasChange[]> {
    return this.t.aliasHistory
      .filter((c) => c.model === model && (alias === undefined || c.alias === alias))
      .map((c) => ({ ...c }));
  }
}
