import { StrataError } from '@strata/core';
import type { CachedStep, StepCompletion } from '@strata/core/plugin';
import { insertArtifacts, insertEvents } from './artifacts.js';
import { findCachedStep } from './cache-lookup.js';
import { codeIdentities, insertIdentities } from './code-identities.js';
import { writeCompletionsSql } from './completion-sql.js';
import { type Db, type RepositoryContext, writeTransaction } from './context.js';
import { upsertMetadata } from './metadata.js';
import { findCachedSql } from './read-sql.js';
import { patchStepRun, stepRunPatchToRow } from './step-runs.js';

interface PendingCompletion {
  readonly completion: StepCompletion;
  /** Date.now() when it was handed over: the group commit's bound is measured from the oldest. */
  readonly at: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A finished step's writes (artifacts, events, metadata, the step row) and the cache lookup.
 *
 * Completions are group-committed (docs/reliability.md, "When a step counts as completed"): those
 * that arrive before the next idle turn of the event loop (steps of a fan-out finishing together, or a
 * chain of short steps whose successors start before the commit) share one write transaction; the
 * runner commits them sooner with flushCompletions (before a body that may run long, or once the
 * oldest has waited 10 ms). A commit, not the rows, is most of what a trivial step costs the database
 * (SQLite on this project's VMs: about 280 µs per commit against 20-40 µs per statement). Each caller
 * still resumes only once its rows are committed, and groups commit in the order they were made, so a
 * completion is never committed before one handed over earlier (a step before its upstream).
 */
export class StepCompletionRepository {
  readonly #ctx: RepositoryContext;
  #pending: PendingCompletion[] = [];
  /** The last group's commit: the next one starts after it (commit order is hand-over order). */
  #tail: Promise<void> = Promise.resolve();

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  completeStepRun(completion: StepCompletion): Promise<void> {
    return new Promise((resolve, reject) => {
      const at = Date.now();
      this.#pending.push({ completion, at, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => void this.#commitPending());
    });
  }

  /**
   * Commits the waiting completions now if the oldest has waited `olderThanMs`, and resolves once they
   * are committed; with 0, also waits for a group already being committed.
   */
  flushCompletions(olderThanMs: number): Promise<void> {
    const oldest = this.#pending[0];
    if (oldest && Date.now() - oldest.at >= olderThanMs) {
      // Through a turn of the event loop: a chain of short steps otherwise runs on microtasks alone,
      // and timers (heartbeat, progress display), I/O and signals (Ctrl-C) would wait for its end.
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#commitPending());
    }
    return olderThanMs <= 0 ? this.#tail : Promise.resolve();
  }

  /** Takes the waiting completions as one group, committed after the groups before it. */
  #commitPending(): Promise<void> {
    const batch = this.#pending;
    if (batch.length === 0) return this.#tail;
    this.#pending = [];
    this.#tail = this.#tail.then(() => this.#commitGroup(batch));
    return this.#tail;
  }

  async #commitGroup(batch: readonly PendingCompletion[]): Promise<void> {
    try {
      await this.#write(batch.map((p) => p.completion));
      for (const p of batch) p.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(await this.#explainOr(error, batch[0]!.completion));
        return;
      }
    }
    // One bad completion must not fail the others: each is retried alone, in order, with its own error.
    for (const p of batch) {
      try {
        await this.#write([p.completion]);
        p.resolve();
      } catch (error) {
        p.reject(await this.#explainOr(error, p.completion));
      }
    }
  }

  /**
   * One transaction for these completions. On SQLite without logged metadata (most steps) its
   * statements are plain SQL run at once on the connection (writeNow, completion-sql.ts): the same rows
   * as through Kysely, whose building and promise chain per statement cost about as much as the
   * statements.
   */
  #write(completions: readonly StepCompletion[]): Promise<void> {
    const { writeNow } = this.#ctx;
    if (writeNow && completions.every((c) => c.metadata.length === 0)) {
      return writeNow((run) => writeCompletionsSql(run, completions));
    }
    return writeTransaction(this.#ctx, (trx) => writeCompletions(trx, completions));
  }

  /** #explain, or the error itself if explaining fails: a group's commit never rejects (later groups wait on it). */
  #explainOr(error: unknown, completion: StepCompletion): Promise<unknown> {
    return this.#explain(error, completion).catch(() => error);
  }

  /** Names the missing row behind a constraint failure (only on the error path: no extra queries otherwise). */
  async #explain(error: unknown, completion: StepCompletion): Promise<unknown> {
    const { traits, db } = this.#ctx;
    if (traits.isForeignKeyViolation(error)) {
      const referenced = [...new Set(completion.events.map((e) => e.artifactId))];
      const found =
        referenced.length === 0
          ? []
          : (await db.selectFrom('artifacts').select('id').where('id', 'in', referenced).execute()).map(
              (r) => r.id,
            );
      const missing = referenced.filter(
        (id) => !found.includes(id) && !completion.artifacts.some((a) => a.id === id),
      );
      if (missing.length > 0) {
        return new StrataError(
          `completing step run "${completion.stepRunId}": events refer to unknown artifact ${missing.map((id) => `"${id}"`).join(', ')}`,
          {
            code: 'unknown_artifact',
            field: 'events.artifactId',
            value: missing.length === 1 ? missing[0] : missing,
            fix: 'record each new artifact in `artifacts` of the same completion, or refer to an existing artifact id',
            cause: error,
          },
        );
      }
      const producers = completion.artifacts
        .map((a) => a.producerStepRunId)
        .filter((id) => id !== completion.stepRunId);
      return new StrataError(
        `completing step run "${completion.stepRunId}": an artifact names a producer step run that does not exist`,
        {
          code: 'unknown_step_run',
          field: 'artifacts.producerStepRunId',
          value: producers,
          fix: 'set producerStepRunId of each new artifact to the completing step run',
          cause: error,
        },
      );
    }
    if (traits.isUniqueViolation(error)) {
      return new StrataError(
        `completing step run "${completion.stepRunId}": an artifact id or an event (type, name, position) is already recorded`,
        {
          code: 'duplicate_id',
          field: 'artifacts',
          value: completion.artifacts.map((a) => a.id),
          fix: 'complete a step run once; give new artifacts new ids and each event a distinct (type, name, position)',
          cause: error,
        },
      );
    }
    return error;
  }

  findCached(cacheKey: string, notBefore?: number): Promise<CachedStep | undefined> {
    const { readNow } = this.#ctx;
    return readNow
      ? findCachedSql(readNow, cacheKey, notBefore)
      : findCachedStep(this.#ctx.db, cacheKey, notBefore);
  }
}

/** The rows of several completions: their code identities, each step row patched, then every new artifact, event and entry at once. */
export async function writeCompletions(trx: Db, completions: readonly StepCompletion[]): Promise<void> {
  await insertIdentities(trx, codeIdentities(completions.map((c) => c.patch.cacheParts)));
  for (const c of completions) {
    await patchStepRun(trx, c.stepRunId, { ...stepRunPatchToRow(c.patch), status: c.status });
  }
  const artifacts = completions.flatMap((c) => c.artifacts);
  const events = completions.flatMap((c) => c.events.map((e) => ({ ...e, stepRunId: c.stepRunId })));
  const metadata = completions.flatMap((c) => c.metadata);
  if (artifacts.length > 0) await insertArtifacts(trx, artifacts);
  if (events.length > 0) await insertEvents(trx, events);
  if (metadata.length > 0) await upsertMetadata(trx, metadata);
}
