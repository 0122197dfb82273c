import { StrataError } from '../errors/strata-error.js';
import type { AliasChange, ModelRecord, ModelVersionRecord } from '../metadata/model-registry-store.js';
import type { ArtifactRecord, JsonValue } from '../metadata/records.js';
import { componentToken } from '../stack/component-token.js';

export interface RegisterModelInput {
  readonly model: string;
  /** The artifact holding the model (for @strata/ml, a `TrainedModel` bundle). */
  readonly artifactId: string;
  readonly runId?: string | null;
  readonly metrics?: JsonValue;
  readonly metadata?: JsonValue;
  readonly description?: string;
}

export interface AliasMove {
  /** Default `production`. */
  readonly alias?: string;
  readonly reason: string;
  /** Who moved it: a user name, `pipeline:<run>` or `server:<deployment>`. */
  readonly actor: string;
}

export type ModelSummary = ModelRecord & { latestVersion: number; aliases: Record<string, number> };

/**
 * The model registry component: named models, numbered versions linked to the run and artifact that
 * produced them, movable aliases (`production`, `staging`, any name) with a full history of who moved
 * which alias, when and why. Rollback moves an alias back to the version it held before.
 */
export interface ModelRegistry {
  readonly flavor: string;
  register(input: RegisterModelInput): Promise<ModelVersionRecord>;
  listModels(): Promise<ModelSummary[]>;
  versions(model: string): Promise<ModelVersionRecord[]>;
  /** `name@alias`, `name@3` or `name` (latest version); throws a StrataError when it does not resolve. */
  resolve(ref: string): Promise<ModelVersionRecord>;
  /** The version an alias points at, if any. */
  aliasVersion(model: string, alias: string): Promise<number | undefined>;
  promote(model: string, version: number, move: AliasMove): Promise<AliasChange>;
  /** Moves the alias back to the version it held before the current one (skipping rolled-back versions). */
  rollback(model: string, move: AliasMove): Promise<AliasChange>;
  history(model: string, alias?: string): Promise<AliasChange[]>;
  /** The artifact row a version points at (load it from the stack's artifact store). */
  artifact(version: ModelVersionRecord): Promise<ArtifactRecord>;
}

export const DEFAULT_ALIAS = 'production';

export interface ModelRef {
  readonly model: string;
  readonly alias?: string;
  readonly version?: number;
}

/** Parses `name`, `name@alias` or `name@<version number>`. */
export function parseModelRef(ref: string): ModelRef {
  const match = /^([A-Za-z0-9][\w.-]*)(?:@([\w.-]+))?$/.exec(ref.trim());
  if (!match) {
    throw new StrataError(`model reference "${ref}" is not valid`, {
      code: 'invalid_model_ref',
      field: 'model',
      value: ref,
      fix: 'write NAME, NAME@ALIAS (e.g. penguins@production) or NAME@VERSION (e.g. penguins@3)',
    });
  }
  const [, model, selector] = match as unknown as [string, string, string | undefined];
  if (selector === undefined) return { model };
  return /^\d+$/.test(selector) ? { model, version: Number(selector) } : { model, alias: selector };
}

/**
 * Where a rollback of `alias` goes: replays the alias history as a stack (a promotion pushes, a
 * rollback pops), so repeated rollbacks walk further back instead of bouncing between two versions.
 */
export function rollbackTarget(history: readonly AliasChange[], alias: string): number | undefined {
  const stack: number[] = [];
  for (const change of history) {
    if (change.alias !== alias) continue;
    if (change.action === 'promote') {
      if (stack[stack.length - 1] !== change.version) stack.push(change.version);
    } else {
      while (stack.length > 0 && stack[stack.length - 1] !== change.version) stack.pop();
      if (stack.length === 0) stack.push(change.version);
    }
  }
  return stack.length >= 2 ? stack[stack.length - 2] : undefined;
}

/** The model_registry component's token: `context.component(ModelRegistry)` is typed. */
export const ModelRegistry = componentToken<ModelRegistry>('model_registry');
