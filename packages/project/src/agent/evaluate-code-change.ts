import type { TriggerRecord } from '@strata/core/plugin';
import { git } from '../git.js';
import type { Evaluation, EvaluationContext } from './evaluation.js';

/** The branch's head moved to a commit that touches the watched paths (all paths when none given). */
export async function evaluateCodeChange(
  trigger: TriggerRecord,
  ctx: EvaluationContext,
): Promise<Evaluation> {
  const condition = trigger.condition;
  if (condition.kind !== 'code_change') throw new TypeError(`${trigger.name} is not a code-change trigger`);
  const cwd = ctx.stack.projectRoot;
  const nextCheck = ctx.now + condition.pollMs;
  const head = (await git(['rev-parse', `refs/heads/${condition.branch}`], cwd)).stdout.trim();
  const seen = (trigger.cursor as { commit?: string } | null)?.commit;
  if (seen === undefined) return { candidates: [], cursor: { commit: head }, nextCheck };
  if (seen === head) return { candidates: [], nextCheck };
  const diff = await git(['diff', '--name-only', seen, head, '--', ...condition.paths], cwd);
  const files = diff.stdout.split('\n').filter(Boolean);
  if (files.length === 0) return { candidates: [], cursor: { commit: head }, nextCheck };
  return {
    candidates: [
      {
        dedupeKey: `commit:${head}`,
        reason: `${condition.branch} moved to ${head.slice(0, 12)}: ${files.length} file${files.length === 1 ? '' : 's'} changed (${files.slice(0, 3).join(', ')})`,
        evidence: { commit: head, previous: seen, branch: condition.branch, files: files.slice(0, 100) },
        cursor: { commit: head },
      },
    ],
    nextCheck,
  };
}
