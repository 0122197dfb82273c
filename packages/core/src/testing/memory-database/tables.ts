import type { ComponentRecord } from '../../metadata/component-store.js';
import type { AliasChange, ModelVersionRecord } from '../../metadata/model-registry-store.js';
import type {
  ArtifactRecord,
  EventRecord,
  JsonValue,
  LogLine,
  RunRecord,
  StepRunRecord,
} from '../../metadata/records.js';
import type { RememberedDigest } from '../../source/source-spec.js';
import type {
  AgentRecord,
  FiringRecord,
  ServingWindowRecord,
  TriggerRecord,
} from '../../triggers/trigger-records.js';

/** A step row as stored: cache parts in their stored (versioned) form, and the insert time SQL keeps. */
export interface StepRow extends Omit<StepRunRecord, 'cacheParts'> {
  readonly cacheParts: JsonValue;
  readonly createdAt: number;
}

/**
 * The tables of one in-memory database, shared by every handle opened on it (as one SQLite file is
 * by its connections). Rows are plain copies: JSON values are stored as they would round-trip through
 * a JSON column (see `json`), so nothing a caller mutates afterwards reaches the store.
 */
export class MemoryTables {
  readonly snapshots = new Map<string, { pipelineName: string; body: JsonValue; createdAt: number }>();
  readonly runs = new Map<string, RunRecord>();
  readonly stepRuns = new Map<string, StepRow>();
  readonly artifacts = new Map<string, ArtifactRecord>();
  /** Keyed by `stepRunId, type, name, position` (the events table's primary key). */
  readonly events = new Map<string, EventRecord>();
  /** Keyed by `ownerType, ownerId, key`. */
  readonly metadata = new Map<string, { value: JsonValue; createdAt: number }>();
  /** Keyed by `stepRunId, seq`. */
  readonly logs = new Map<string, LogLine>();
  /** Keyed by `type, name`. */
  readonly components = new Map<string, ComponentRecord>();
  readonly stacks = new Map<
    string,
    { components: Record<string, string>; createdAt: number; updatedAt: number }
  >();
  readonly models = new Map<
    string,
    { description: string | null; latestVersion: number; createdAt: number }
  >();
  /** Keyed by `model, version`. */
  readonly modelVersions = new Map<string, ModelVersionRecord>();
  /** Keyed by `model, alias`. */
  readonly aliases = new Map<string, number>();
  readonly aliasHistory: AliasChange[] = [];
  readonly triggers = new Map<string, TriggerRecord>();
  readonly firings = new Map<string, FiringRecord>();
  readonly leases = new Map<string, { holder: string; expiresAt: number }>();
  readonly agents = new Map<string, AgentRecord>();
  /** Keyed by `model, version, windowStart, kind`. */
  readonly servingWindows = new Map<string, ServingWindowRecord>();
  /** Keyed by `runId, stepRunId ?? ''`. */
  readonly owners = new Map<string, { owner: JsonValue; heartbeatAt: number }>();
  readonly fileDigests = new Map<string, RememberedDigest>();
}

/** A composite key (the parts cannot contain NUL in practice; SQL compares them column by column). */
export function key(...parts: readonly (string | number)[]): string {
  return parts.join('\u0000');
}

/**
 * A JSON value as a JSON column gives it back: a deep copy, `undefined` members dropped and `null`
 * for undefined (SQL NULL), exactly what `toJson`/`fromJson` do in the SQL stores.
 */
export function json(value: JsonValue | undefined): JsonValue {
  return value === null || value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

type Term<T> = (row: T) => string | number | null;

/**
 * A comparator like SQL's `order by a, b desc`: each term is a column, or `[column, 'desc']`. Strings
 * compare by code unit (SQLite's binary collation); NULL sorts first ascending, as on SQLite.
 */
export function orderBy<T>(...terms: (Term<T> | [Term<T>, 'desc'])[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const term of terms) {
      const [column, direction] = Array.isArray(term) ? term : [term, 'asc'];
      const x = column(a);
      const y = column(b);
      if (x === y) continue;
      const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return direction === 'desc' ? -order : order;
    }
    return 0;
  };
}
