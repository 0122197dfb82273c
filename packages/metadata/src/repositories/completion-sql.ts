import type { StepCompletion, StepRunPatch } from '@strata/core/plugin';
import { artifactColumns, artifactToRow } from './artifacts.js';
import { codeIdentities, insertIdentitiesSql } from './code-identities.js';
import type { RunNow } from './context.js';
import { insertRows, rowsInsert } from './rows-sql.js';
import { cachePartsJson, unknownStepRun } from './step-runs.js';

/**
 * A group of step completions as plain SQL, for the SQLite store (its driver runs statements
 * synchronously: see RepositoryContext.writeNow). The texts are made once per process (the UPDATE once
 * per set of patched columns), so a completion costs binding and running its statements, nothing more:
 * building them with Kysely for every step cost about as much CPU as SQLite spent running them.
 * The rows are the ones the Kysely path (writeCompletions) writes: the same columns and values.
 */
export function writeCompletionsSql(run: RunNow, completions: readonly StepCompletion[]): void {
  insertIdentitiesSql(run, codeIdentities(completions.map((c) => c.patch.cacheParts)));
  for (const c of completions) {
    const values: unknown[] = [c.status];
    const mask = patchValues(c.patch, values);
    values.push(c.stepRunId);
    if (run(updateText(mask), values) === 0) throw unknownStepRun(c.stepRunId);
  }
  // Every artifact before any event: an event may name an artifact of another completion of the group.
  // Each table's rows go in multi-row INSERTs: a group of steps (or a map's expansion, hundreds of
  // items) is a few statements per table instead of one per row.
  const artifacts: unknown[] = [];
  for (const c of completions) {
    for (const a of c.artifacts) {
      const row = artifactToRow(a);
      // `?? null` as insertRowsQuery binds it: a field left undefined is stored as NULL.
      for (const column of artifactColumns) artifacts.push(row[column] ?? null);
    }
  }
  insertRows(run, ARTIFACTS, artifacts);
  const events: unknown[] = [];
  for (const c of completions) {
    for (const e of c.events) events.push(c.stepRunId, e.artifactId, e.type, e.name, e.position);
  }
  insertRows(run, EVENTS, events);
}

/** The patch fields after `status` (which the completion sets), their columns in the same order. */
const PATCH_FIELDS = [
  'cacheKey',
  'cacheParts',
  'cacheReason',
  'cachedFrom',
  'attempt',
  'startedAt',
  'endedAt',
  'error',
  'errorStack',
] as const satisfies readonly Exclude<keyof StepRunPatch, 'status'>[];
const PATCH_COLUMNS = [
  'cache_key',
  'cache_parts',
  'cache_reason',
  'cached_from',
  'attempt',
  'started_at',
  'ended_at',
  'error',
  'error_stack',
] as const;

/** Appends the patch's set fields to `values` (after status); bit i of the result: field i is set. */
function patchValues(patch: StepRunPatch, values: unknown[]): number {
  let mask = 0;
  for (let i = 0; i < PATCH_FIELDS.length; i++) {
    const field = PATCH_FIELDS[i]!;
    const value = patch[field];
    if (value === undefined) continue;
    mask |= 1 << i;
    values.push(field === 'cacheParts' ? cachePartsJson(patch.cacheParts!) : value);
  }
  return mask;
}

/** UPDATE texts by mask (at most 2^9; in practice the few shapes of completed, cached and running). */
const updateTexts = new Map<number, string>();

function updateText(mask: number): string {
  let text = updateTexts.get(mask);
  if (text === undefined) {
    const set = ['"status" = ?', ...PATCH_COLUMNS.filter((_, i) => mask & (1 << i)).map((c) => `"${c}" = ?`)];
    text = `update "step_runs" set ${set.join(', ')} where "id" = ?`;
    updateTexts.set(mask, text);
  }
  return text;
}

const ARTIFACTS = rowsInsert('artifacts', artifactColumns);

const EVENTS = rowsInsert('events', ['step_run_id', 'artifact_id', 'type', 'name', 'position']);
