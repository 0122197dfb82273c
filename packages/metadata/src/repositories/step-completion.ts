import type { CachedStep, StepCompletion } from '@strata/core';
import { StrataError } from '@strata/core';
import { eventsWithArtifacts, insertArtifacts, insertEvents } from './artifacts.js';
import { type RepositoryContext, writeTransaction } from './context.js';
import { upsertMetadata } from './metadata.js';
import { patchStepRun, StepRunsRepository, stepRunPatchToRow } from './step-runs.js';

/** A finished step's writes (artifacts, events, metadata, the step row) and the cache lookup. */
export class StepCompletionRepository {
  readonly #ctx: RepositoryContext;
  readonly #stepRuns: StepRunsRepository;

  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
    this.#stepRuns = new StepRunsRepository(ctx);
  }

  async completeStepRun(completion: StepCompletion): Promise<void> {
    const { stepRunId } = completion;
    const events = completion.events.map((e) => ({ ...e, stepRunId }));
    try {
      await writeTransaction(this.#ctx, async (trx) => {
        await patchStepRun(trx, stepRunId, {
          ...stepRunPatchToRow(completion.patch),
          status: completion.status,
        });
        if (completion.artifacts.length > 0) await insertArtifacts(trx, completion.artifacts);
        if (events.length > 0) await insertEvents(trx, events);
        if (completion.metadata.length > 0) await upsertMetadata(trx, completion.metadata);
      });
    } catch (error) {
      throw await this.#explain(error, completion);
    }
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

  async findCached(cacheKey: string, notBefore?: number): Promise<CachedStep | undefined> {
    const stepRun = await this.#stepRuns.findCachedStepRun(cacheKey, notBefore);
    if (!stepRun) return undefined;
    const outputs = await eventsWithArtifacts(this.#ctx.db, stepRun.id, 'output');
    return {
      stepRun,
      outputs: outputs.map((e) => ({ name: e.name, position: e.position, artifact: e.artifact })),
    };
  }
}
