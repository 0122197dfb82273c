import type { JsonValue } from './records.js';

export interface ModelRecord {
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: number;
}

export interface ModelVersionRecord {
  readonly model: string;
  /** 1, 2, 3… assigned in registration order. */
  readonly version: number;
  readonly artifactId: string;
  readonly runId: string | null;
  readonly metrics: JsonValue;
  readonly metadata: JsonValue;
  readonly createdAt: number;
}

export interface AliasChange {
  readonly model: string;
  readonly alias: string;
  readonly version: number;
  readonly previousVersion: number | null;
  readonly action: 'promote' | 'rollback';
  readonly reason: string;
  readonly actor: string;
  readonly at: number;
}

/** Tables behind the local model registry flavor. Alias moves are recorded, never overwritten. */
export interface ModelRegistryStore {
  registerModelVersion(
    input: Omit<ModelVersionRecord, 'version' | 'createdAt'> & { description?: string },
  ): Promise<ModelVersionRecord>;
  listModels(): Promise<(ModelRecord & { latestVersion: number; aliases: Record<string, number> })[]>;
  listModelVersions(model: string): Promise<ModelVersionRecord[]>;
  getModelVersion(model: string, version: number): Promise<ModelVersionRecord | undefined>;
  getAlias(model: string, alias: string): Promise<number | undefined>;
  /** Moves an alias and appends the change to its history, atomically. */
  setAlias(change: Omit<AliasChange, 'previousVersion' | 'at'>): Promise<AliasChange>;
  aliasHistory(model: string, alias?: string): Promise<AliasChange[]>;
}
