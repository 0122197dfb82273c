import type { JsonValue } from '@strata/core';
import type { ModelVersionRecord } from '@strata/core/plugin';

/** The tags through which an MLflow model version points back at Strata. */
export const TAG = {
  artifactId: 'strata.artifact_id',
  runId: 'strata.run_id',
  sha256: 'strata.sha256',
  store: 'strata.artifact_store',
  metrics: 'strata.metrics',
  metadata: 'strata.metadata',
  createdBy: 'strata.created_by',
} as const;

export interface MlflowTag {
  readonly key: string;
  readonly value: string;
}

export interface MlflowModelVersion {
  readonly name: string;
  readonly version: string;
  readonly creation_timestamp: number | string;
  readonly source?: string;
  readonly run_id?: string;
  readonly description?: string;
  readonly tags?: readonly MlflowTag[];
}

export interface MlflowRegisteredModel {
  readonly name: string;
  readonly creation_timestamp: number | string;
  readonly description?: string;
  readonly tags?: readonly MlflowTag[];
  readonly aliases?: readonly { alias: string; version: string }[];
  readonly latest_versions?: readonly MlflowModelVersion[];
}

export function tagsOf(tags: readonly MlflowTag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
}

function json(text: string | undefined): JsonValue {
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

export function toVersionRecord(v: MlflowModelVersion): ModelVersionRecord {
  const tags = tagsOf(v.tags);
  return {
    model: v.name,
    version: Number(v.version),
    artifactId: tags[TAG.artifactId] ?? '',
    runId: tags[TAG.runId] ?? null,
    metrics: json(tags[TAG.metrics]),
    metadata: json(tags[TAG.metadata]),
    createdAt: Number(v.creation_timestamp),
  };
}
