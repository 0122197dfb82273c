import { StrataError } from '../errors/strata-error.js';
import type { AliasChange, ModelVersionRecord } from '../metadata/model-registry-store.js';
import { NAME_MAX_LENGTH } from '../metadata/names.js';
import { type AliasMove, DEFAULT_ALIAS, type ModelRegistry } from './model-registry.js';

/**
 * What the evaluation gate said about a version, read from the metadata @strata/ml's push step
 * records (`blessed`, `gateReason`). `not_gated`: the version was registered without a gate (by
 * hand, from code, or in MLflow by another client), so there is no verdict to hold against it.
 */
export interface GateVerdict {
  readonly state: 'blessed' | 'not_blessed' | 'not_gated';
  readonly reason: string | null;
}

export function gateVerdict(version: Pick<ModelVersionRecord, 'metadata'>): GateVerdict {
  const metadata = version.metadata;
  const fields =
    metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)
      ? (metadata as Record<string, unknown>)
      : {};
  const reason = typeof fields.gateReason === 'string' ? fields.gateReason : null;
  if (fields.blessed === true) return { state: 'blessed', reason };
  if (fields.blessed === false) return { state: 'not_blessed', reason };
  return { state: 'not_gated', reason: null };
}

/**
 * An alias name: the metadata store's name rule (1 to 64 letters, digits, ".", "_" and "-", starting
 * with a letter or digit), and not all digits: `NAME@3` reads as version 3, so an alias `3` could
 * never be resolved. Checked before anything is written, whatever the registry's flavor (MLflow
 * would otherwise record the move in its history tags and then refuse the alias).
 */
export function checkAliasName(alias: string): string {
  const digits = /^\d+$/.test(alias);
  if (!digits && alias.length <= NAME_MAX_LENGTH && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(alias)) return alias;
  const shown = alias.length > 80 ? `${alias.slice(0, 60)}… (${alias.length} characters)` : alias;
  const why =
    alias === ''
      ? 'it is empty'
      : digits
        ? 'an all-digit alias would read as a version number (NAME@3)'
        : alias.length > NAME_MAX_LENGTH
          ? `it is longer than ${NAME_MAX_LENGTH} characters`
          : 'only letters, digits, ".", "_" and "-" are allowed, starting with a letter or digit';
  throw new StrataError(`alias ${JSON.stringify(shown)} is not a valid alias name: ${why}`, {
    code: 'invalid_name',
    field: 'alias',
    value: shown,
    fix: 'name it with letters, digits, ".", "_" or "-", e.g. --alias production, staging or canary-2',
  });
}

export interface GatedMove extends AliasMove {
  /** Promote a version the gate did not bless anyway; the alias history says it was forced. */
  readonly force?: boolean;
}

export interface GatedPromotion {
  readonly change: AliasChange;
  readonly gate: GateVerdict;
  /** True when the version was not blessed and `force` moved the alias anyway. */
  readonly forced: boolean;
}

/** How the caller overrides the gate, for the refusal's fix: `--force` (CLI), `"force": true` (API). */
export interface PromotionOptions {
  readonly forceHint?: string;
}

/**
 * The one promotion rule, used by `strata models promote`, the server's API and (through it) the
 * dashboard: a version whose gate recorded `blessed: false` is refused unless forced, and a forced
 * promotion says so in the alias history's reason. A version without a gate record is promoted (the
 * result says `not_gated`), since registries also hold versions no Strata gate ever saw.
 */
export async function promoteGated(
  registry: ModelRegistry,
  model: string,
  version: number,
  move: GatedMove,
  options: PromotionOptions = {},
): Promise<GatedPromotion> {
  const alias = checkAliasName(move.alias ?? DEFAULT_ALIAS);
  const record = await findVersion(registry, model, version);
  const gate = gateVerdict(record);
  const forced = gate.state === 'not_blessed' && move.force === true;
  if (gate.state === 'not_blessed' && !forced) {
    throw new StrataError(
      `${model} v${version} was not blessed by its evaluation gate, so it is not promoted to ${alias}` +
        ` (gate: ${gate.reason ?? 'blessed: false, no reason recorded'})`,
      {
        code: 'model_not_blessed',
        field: 'version',
        value: `${model}@${version}`,
        fix:
          `promote a blessed version (see \`strata models versions ${model}\`), or pass ` +
          `${options.forceHint ?? '--force'} to promote v${version} anyway (the alias history records it as forced)`,
      },
    );
  }
  const reason = forced
    ? `${move.reason} [forced past the gate: ${gate.reason ?? 'blessed: false'}]`
    : move.reason;
  const change = await registry.promote(model, version, { alias, reason, actor: move.actor });
  return { change, gate, forced };
}

async function findVersion(registry: ModelRegistry, model: string, version: number) {
  const versions = await registry.versions(model);
  const found = versions.find((v) => v.version === version);
  if (found) return found;
  if (versions.length === 0) {
    throw new StrataError(`model "${model}" is not registered in the ${registry.flavor} registry`, {
      code: 'unknown_model',
      field: 'model',
      value: model,
      fix: 'see the registered models with `strata models list`',
    });
  }
  throw new StrataError(
    `model "${model}" has no version ${version} (it has ${versionList(versions.map((v) => v.version))})`,
    {
      code: 'unknown_model_version',
      field: 'version',
      value: version,
      fix: `pick one of \`strata models versions ${model}\``,
    },
  );
}

/** `v1, v2, v3`, or `12 versions, v1 to v12` when there are many: for messages naming what exists. */
export function versionList(numbers: readonly number[]): string {
  return numbers.length <= 5
    ? numbers.map((n) => `v${n}`).join(', ')
    : `${numbers.length} versions, v${numbers[0]} to v${numbers.at(-1)}`;
}
