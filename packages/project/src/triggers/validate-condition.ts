import { type JsonValue, type Stack, StrataError } from '@strata/core';
import {
  calendarOf,
  type TriggerCondition,
  type TriggerConditionInput,
  triggerSchemas,
} from '@strata/core/plugin';
import { git } from '../git.js';
import { sourceVersion } from './source-version.js';

/** Parses the condition (defaults filled in) and checks it against the world: refuses with field, value, fix. */
export async function validateCondition(
  input: TriggerConditionInput,
  stack: Stack,
): Promise<TriggerCondition> {
  const parsed = triggerSchemas().triggerCondition.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'kind';
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], input);
    const named = value === undefined ? '' : ` ${JSON.stringify(value)}`;
    throw new StrataError(`trigger ${field}${named}: ${issue.message}`, {
      code: 'invalid_trigger',
      field,
      value: value === undefined ? '(missing)' : String(value),
      fix: 'see `strata trigger create --help` and docs/continuous-training.md',
    });
  }
  const condition = parsed.data;
  switch (condition.kind) {
    case 'schedule':
      calendarOf(condition, Date.now());
      break;
    case 'new_data':
      await checkSource(condition.source, stack);
      break;
    case 'model_health':
      await checkModelHealth(condition, stack);
      break;
    case 'code_change':
      await checkBranch(condition.branch, stack.projectRoot);
      break;
    case 'run_completion':
      // An empty list (`--statuses ''`) was stored, and such a trigger never fires.
      if (condition.statuses.length === 0) {
        throw new StrataError('trigger statuses: the list is empty, so the trigger would never fire', {
          code: 'invalid_trigger',
          field: 'statuses',
          value: '(empty)',
          fix: 'pass one or more of completed, failed, cancelled, e.g. --statuses completed,failed',
        });
      }
      break;
  }
  return condition;
}

/** The source must exist (a local folder) or be listable with the stack's credentials (a bucket prefix). */
async function checkSource(source: string, stack: Stack): Promise<void> {
  await sourceVersion(source, stack);
}

const LIVE_METRICS = ['accuracy', 'mae'];

async function checkModelHealth(
  condition: Extract<TriggerCondition, { kind: 'model_health' }>,
  stack: Stack,
): Promise<void> {
  const [model] = condition.model.split('@') as [string];
  const versions = await stack.database.listModelVersions(model).catch(() => []);
  if (versions.length === 0) {
    throw new StrataError(`no model named "${model}" in the registry`, {
      code: 'unknown_model',
      field: 'model',
      value: condition.model,
      fix: 'register a version first (a training run that pushes it), or fix the name: strata models list',
    });
  }
  if (condition.metric === 'drift') {
    if (condition.threshold <= 0 || condition.threshold > 1) {
      throw new StrataError(`drift threshold ${condition.threshold} is not a share of features`, {
        code: 'invalid_trigger',
        field: 'threshold',
        value: condition.threshold,
        fix: 'give the share of drifted features that fires, in (0, 1], e.g. 0.3',
      });
    }
    return;
  }
  const reported = new Set<string>(LIVE_METRICS.filter((m) => versions.some((v) => hasMetric(v.metrics, m))));
  if (!reported.has(condition.metric)) {
    const known = [...new Set(versions.flatMap((v) => Object.keys((v.metrics ?? {}) as object)))];
    throw new StrataError(`model "${model}" does not report metric "${condition.metric}"`, {
      code: 'unknown_metric',
      field: 'metric',
      value: condition.metric,
      fix: `use drift, or a live metric the model reports: ${[...reported].join(', ') || `none of ${LIVE_METRICS.join(', ')} (its versions report ${known.join(', ') || 'no metrics'})`}`,
    });
  }
}

function hasMetric(metrics: unknown, name: string): boolean {
  return (
    typeof metrics === 'object' &&
    metrics !== null &&
    typeof (metrics as Record<string, unknown>)[name] === 'number'
  );
}

async function checkBranch(branch: string, root: string): Promise<void> {
  try {
    await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], root);
  } catch {
    throw new StrataError(`branch "${branch}" does not exist in the project's git repository`, {
      code: 'unknown_branch',
      field: 'branch',
      value: branch,
      fix: `check \`git -C ${root} branch\`; the project must be a git repository`,
    });
  }
}

/** The cursor a new trigger starts from (see createTrigger). */
export async function initialCursor(condition: TriggerCondition, stack: Stack): Promise<JsonValue> {
  if (condition.kind === 'new_data') {
    return (await sourceVersion(condition.source, stack)) as unknown as JsonValue;
  }
  if (condition.kind === 'code_change') {
    const head = await git(['rev-parse', `refs/heads/${condition.branch}`], stack.projectRoot);
    return { commit: head.stdout.trim() };
  }
  return null;
}
