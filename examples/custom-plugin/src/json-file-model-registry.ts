// Section 7 of docs/plugins.md: a ModelRegistry keeps named models, numbered versions and movable
// aliases with their history. This one keeps them in one JSON file (written atomically, one change
// at a time), and checks the stack's artifact store before it points anything at a version.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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
  type ArtifactStore,
  type FlavorContext,
  isInline,
  type ModelVersionRecord,
  rollbackTarget,
} from '@strata/core/plugin';

interface RegistryFile {
  models: Record<string, { createdAt: number; versions: ModelVersionRecord[]; history: AliasChange[] }>;
}

export class JsonFileModelRegistry implements ModelRegistry {
  readonly flavor = 'json-file';
  /** Changes run one after another, so concurrent promotions end consistent. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly context: FlavorContext,
  ) {}

  register(input: RegisterModelInput): Promise<ModelVersionRecord> {
    return this.change(async (data) => {
      const artifact = await this.checkedArtifact(input.artifactId, `register ${input.model}`);
      const model = data.models[input.model] ?? { createdAt: Date.now(), versions: [], history: [] };
      data.models[input.model] = model;
      const record: ModelVersionRecord = {
        model: input.model,
        version: model.versions.length + 1,
        artifactId: artifact.id,
        runId: input.runId ?? null,
        metrics: input.metrics ?? {},
        metadata: input.metadata ?? {},
        createdAt: Date.now(),
      };
      model.versions.push(record);
      return record;
    });
  }

  async listModels(): Promise<ModelSummary[]> {
    const data = await this.read();
    return Object.entries(data.models)
      .map(([name, m]) => ({
        name,
        description: null,
        createdAt: m.createdAt,
        latestVersion: m.versions.length,
        aliases: aliasesOf(m.history),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async versions(model: string): Promise<ModelVersionRecord[]> {
    return (await this.read()).models[model]?.versions ?? [];
  }

  async resolve(ref: string): Promise<ModelVersionRecord> {
    const { model, alias, version } = parseModelRef(ref);
    const versions = await this.versions(model);
    let wanted = version ?? versions.at(-1)?.version;
    if (alias !== undefined) {
      wanted = await this.aliasVersion(model, alias);
      if (wanted === undefined) {
        throw new StrataError(`model "${model}" has no alias "${alias}"`, {
          code: 'unknown_model_alias',
          field: 'model',
          value: ref,
          fix: `promote a version first (strata models promote ${model} VERSION --alias ${alias})`,
        });
      }
    }
    const found = versions.find((v) => v.version === wanted);
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

  async aliasVersion(model: string, alias: string): Promise<number | undefined> {
    return aliasesOf((await this.read()).models[model]?.history ?? [])[alias];
  }

  promote(model: string, version: number, move: AliasMove): Promise<AliasChange> {
    return this.move(model, move, 'promote', () => version);
  }

  rollback(model: string, move: AliasMove): Promise<AliasChange> {
    const alias = move.alias ?? DEFAULT_ALIAS;
    return this.move(model, move, 'rollback', (history) => {
      const target = rollbackTarget(history, alias);
      if (target === undefined) {
        throw new StrataError(`alias "${alias}" of model "${model}" has no earlier version to roll back to`, {
          code: 'nothing_to_roll_back',
          field: 'alias',
          value: `${model}@${alias}`,
          fix: `see its history with \`strata models show ${model}\`, or promote a version explicitly`,
        });
      }
      return target;
    });
  }

  async history(model: string, alias?: string): Promise<AliasChange[]> {
    const all = (await this.read()).models[model]?.history ?? [];
    return alias === undefined ? all : all.filter((c) => c.alias === alias);
  }

  async artifact(version: ModelVersionRecord): Promise<ArtifactRecord> {
    return this.checkedArtifact(version.artifactId, `load ${version.model}@${version.version}`);
  }

  private move(
    model: string,
    move: AliasMove,
    action: AliasChange['action'],
    target: (history: AliasChange[]) => number,
  ): Promise<AliasChange> {
    return this.change(async (data) => {
      const alias = move.alias ?? DEFAULT_ALIAS;
      const entry = data.models[model];
      const version = target(entry?.history ?? []);
      const record = entry?.versions.find((v) => v.version === version);
      if (!entry || !record) {
        throw new StrataError(`model "${model}@${version}" is not registered`, {
          code: 'unknown_model_version',
          field: 'version',
          value: `${model}@${version}`,
          fix: `list its versions with \`strata models show ${model}\``,
        });
      }
      // Never point an alias at a version whose bytes are gone.
      await this.checkedArtifact(record.artifactId, `${action} ${model}@${version}`);
      const change: AliasChange = {
        model,
        alias,
        version,
        previousVersion: aliasesOf(entry.history)[alias] ?? null,
        action,
        reason: move.reason,
        actor: move.actor,
        at: Date.now(),
      };
      entry.history.push(change);
      return change;
    });
  }

  /** The artifact row, and proof that its bytes are in the stack's artifact store. */
  private async checkedArtifact(artifactId: string, operation: string): Promise<ArtifactRecord> {
    const artifact = await this.context.database.getArtifact(artifactId);
    if (!artifact) {
      throw new StrataError(`cannot ${operation}: artifact "${artifactId}" is not in the metadata store`, {
        code: 'unknown_artifact',
        field: 'artifactId',
        value: artifactId,
        fix: 'register an artifact that a run of this project produced (see strata artifacts list)',
      });
    }
    if (isInline(artifact)) return artifact;
    const store = await this.context.component?.<ArtifactStore>('artifact_store');
    if (store?.identity === artifact.storeIdentity && !(await store.exists(artifact.storeKey))) {
      throw new StrataError(`cannot ${operation}: the bytes of artifact ${artifact.id} are missing`, {
        code: 'missing_artifact_bytes',
        field: 'artifactId',
        value: artifact.id,
        fix: 're-run the step that produced the model (strata run ... --no-cache) and register the new artifact',
      });
    }
    return artifact;
  }

  private async read(): Promise<RegistryFile> {
    const text = await readFile(this.file, 'utf8').catch(() => '{"models":{}}');
    return JSON.parse(text) as RegistryFile;
  }

  /** Read, change, write to a temp file and rename: readers never see half a file. */
  private change<T>(work: (data: RegistryFile) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const data = await this.read();
      const result = await work(data);
      const temp = `${this.file}.${randomUUID()}.tmp`;
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(temp, JSON.stringify(data));
      await rename(temp, this.file);
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Each alias's current version: the last move of its history. */
function aliasesOf(history: readonly AliasChange[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const change of history) out[change.alias] = change.version;
  return out;
}
