import { isAbsolute, relative, resolve } from 'node:path';
import { type Stack, StrataError } from '@strata/core';
import {
  type OverlapPolicy,
  overlapPolicies,
  type TriggerConditionInput,
  type TriggerRecord,
} from '@strata/core/plugin';
import { loadPipelineFile } from '../pipeline-file.js';
import { firingParam, placeholderParams, withFiringParamDeclared } from './fire-params.js';
import { createNativeSchedule, nativeScheduler } from './native-schedules.js';
import { refuseRunCompletionCycle } from './run-completion-cycle.js';
import { initialScheduleCursor } from './schedule-cursor.js';
import { refuseUnknownUpstream } from './unknown-upstream.js';
import { initialCursor, validateCondition } from './validate-condition.js';

/** A schedule or trigger as written by a user, on the command line or from code. */
export interface TriggerDefinition {
  /** Default: `<pipeline>-<kind>`. */
  readonly name?: string;
  /** The module exporting the pipeline (absolute, or relative to the current directory). */
  readonly file: string;
  readonly pipeline?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** Stack the runs go to; default: the active stack where the agent runs. */
  readonly stack?: string;
  readonly condition: TriggerConditionInput;
  readonly overlap?: OverlapPolicy;
  readonly paused?: boolean;
}

/**
 * Validates everything (condition, source, metric, the pipeline compiles with its parameters) and
 * stores the trigger; nothing is stored when anything is wrong. A schedule on a stack whose
 * orchestrator has native schedules (Temporal) is also created there and fired by it, not by agents.
 */
export async function createTrigger(stack: Stack, definition: TriggerDefinition): Promise<TriggerRecord> {
  const condition = await validateCondition(definition.condition, stack);
  const overlap = definition.overlap ?? 'skip';
  if (!overlapPolicies.includes(overlap)) {
    throw new StrataError(`overlap policy "${overlap}" is not one of ${overlapPolicies.join(', ')}`, {
      code: 'invalid_trigger',
      field: 'overlap',
      value: overlap,
      fix: `use ${overlapPolicies.join(', ')}`,
    });
  }
  const pipeline = await loadPipelineFile(definition.file, definition.pipeline);
  const params = { ...definition.params };
  // Compiling now refuses bad parameters and a broken pipeline at create time, not at 3 a.m.
  pipeline.compile(
    withFiringParamDeclared(pipeline, { ...params, ...placeholderParams(condition) }, firingParam(condition)),
    { projectRoot: stack.projectRoot },
  );
  const path = resolve(definition.file);
  const inside = relative(stack.projectRoot, path);
  const module = inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  const now = Date.now();
  const name = definition.name ?? `${pipeline.name}-${condition.kind.replace('_', '-')}`;
  if (condition.kind === 'run_completion') {
    const triggers = await stack.database.listTriggers();
    refuseRunCompletionCycle(name, pipeline.name, condition, triggers);
    refuseUnknownUpstream(name, condition, await stack.database.listPipelines(), triggers);
  }
  const scheduler = nativeScheduler(stack);
  // Schedules become the orchestrator's own (Temporal Schedules); other triggers go to its durable
  // trigger evaluator when it has one (Temporal's trigger workflow), else to `strata agent`.
  const native = condition.kind === 'schedule' ? scheduler : undefined;
  const watcher = condition.kind !== 'schedule' && scheduler?.watchTriggers ? scheduler : undefined;
  const record: TriggerRecord = {
    name,
    kind: condition.kind,
    target: {
      module,
      pipeline: pipeline.name,
      params,
      // A trigger the orchestrator fires runs on the stack it was created for.
      ...(definition.stack === undefined
        ? watcher
          ? { stack: stack.name }
          : {}
        : { stack: definition.stack }),
    },
    condition,
    overlap,
    paused: definition.paused ?? false,
    firedBy: native || watcher ? stack.orchestrator.flavor : 'agent',
    // What exists now does not fire: a new-data trigger fires on the next version, a code-change one on the next commit.
    cursor:
      condition.kind === 'schedule'
        ? { ...initialScheduleCursor(name, condition, now) }
        : await initialCursor(condition, stack),
    createdAt: now,
    updatedAt: now,
  };
  if (await stack.database.getTrigger(name)) {
    throw new StrataError(`a schedule or trigger named "${name}" already exists`, {
      code: 'duplicate_name',
      field: 'name',
      value: name,
      fix: `choose another --name, or delete the old one first (strata ${condition.kind === 'schedule' ? 'schedule' : 'trigger'} delete ${name})`,
    });
  }
  if (native && condition.kind === 'schedule') await createNativeSchedule(native, record, path, condition);
  // Before storing: an unreachable orchestrator refuses the trigger instead of storing one nobody fires.
  await watcher?.watchTriggers?.();
  try {
    await stack.database.createTrigger(record);
  } catch (error) {
    if (native) await native.delete(nativeId(name)).catch(() => undefined);
    throw error;
  }
  return record;
}

/** Temporal schedule ids carry the `strata-` prefix (so its list finds them). */
export function nativeId(name: string): string {
  return name.startsWith('strata-') ? name : `strata-${name}`;
}
