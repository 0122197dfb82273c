import type { RunRecord } from '@strata/core';
import type { TrackerMetadata } from '@strata/core/plugin';
import type { Project } from '@strata/project';
import type { RunProgress } from '@strata/temporal';
import { bold, dim, formatTime, printJson, printTable, statusColour } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';

type Live = { readonly progress: RunProgress } | { readonly unavailable: string };

/**
 * A temporal run that is still going: its workflow's `progress` query (fresher than the step rows).
 * Anything else, or a query that fails, leaves the metadata rows as the only source.
 */
async function liveProgress(project: Project, run: RunRecord): Promise<Live | undefined> {
  if (run.orchestrator !== 'temporal' || !['pending', 'running'].includes(run.status)) return undefined;
  try {
    const stack = await project.buildStack(run.stackName);
    try {
      const { loadTemporal } = await import('../load-temporal.js');
      const { runProgress } = await loadTemporal(project.root);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
      });
      const progress = await Promise.race([runProgress(stack, run.id), timeout]).finally(() =>
        clearTimeout(timer),
      );
      return progress ? { progress } : { unavailable: 'the workflow is not known to Temporal' };
    } finally {
      await stack.close();
    }
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

function printLive(live: Live): void {
  if ('unavailable' in live) {
    process.stdout.write(`  ${dim(`live progress unavailable (${live.unavailable}); steps as recorded:`)}\n`);
    return;
  }
  const counts = Object.entries(live.progress.steps)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${statusColour(status)}`);
  process.stdout.write(`  live (temporal workflow): ${counts.join(' · ') || 'no steps yet'}\n`);
  for (const [node, i] of Object.entries(live.progress.instances))
    process.stdout.write(
      `    ${node}: ${i.done}/${i.total} instances done${i.failed ? `, ${i.failed} failed` : ''}\n`,
    );
}

/** `tracker mlflow (tracking): http://…/#/experiments/1/runs/abc`, or why it did not record the run. */
function describeTracker(tracker: TrackerMetadata): string {
  const who = `tracker ${tracker.flavor}${tracker.component ? ` (${tracker.component})` : ''}`;
  if (tracker.error !== undefined) return `${who}: not recorded (${tracker.error})`;
  return `${who}: ${tracker.url ?? tracker.id ?? '-'}`;
}

export function register(group: Group): void {
  group
    .command('show')
    .description("show a run: status, stack, parameters and each step's status and cache reason")
    .argument('<run>', 'run id')
    .option('--json', 'print JSON')
    .action(async (id, options) => {
      await readProject(async (project) => {
        const { StrataError } = await import('@strata/core');
        const { reconcileRun, trackerMetadata } = await import('@strata/core/plugin');
        const recorded = await project.database.getRun(id);
        const run = recorded && (await reconcileRun(project.database, recorded));
        if (!run)
          throw new StrataError(`run ${id} does not exist`, {
            code: 'unknown_run',
            field: 'run',
            value: id,
            fix: 'list runs with `strata runs list`',
          });
        const steps = await project.database.listStepRuns(id);
        const live = await liveProgress(project, run);
        const tracker = await trackerMetadata(project.database, id);
        if (options.json) {
          // Every step's cache key parts and what changed since its previous execution (cache explain).
          const { CacheExplainer } = await import('@strata/core');
          const explainer = new CacheExplainer(project.database, run);
          const cache: Record<string, unknown> = {};
          for (const step of steps) cache[step.id] = await explainer.explainRow(step);
          return printJson({
            run,
            steps,
            cache,
            ...(live ? { live } : {}),
            ...(tracker ? { tracker } : {}),
          });
        }
        process.stdout.write(`${bold(`run ${run.id}`)} (${run.name})\n`);
        process.stdout.write(
          `  pipeline ${run.pipelineName} · stack ${run.stackName} · ${statusColour(run.status)} · created ${formatTime(run.createdAt)}\n`,
        );
        process.stdout.write(
          `  params ${JSON.stringify(run.params)}${run.resumedFrom ? ` · resumed from ${run.resumedFrom}` : ''}\n`,
        );
        if (run.error) process.stdout.write(`  error ${run.error}\n`);
        if (tracker) process.stdout.write(`  ${describeTracker(tracker)}\n`);
        if (live) printLive(live);
        printTable(
          ['STEP', 'STATUS', 'CACHE', 'STARTED', 'ENDED'],
          steps.map((s) => [
            s.mapIndex >= 0 ? `${s.nodeId}[${s.mapIndex}]` : s.nodeId,
            statusColour(s.status),
            s.cacheReason ?? '-',
            formatTime(s.startedAt),
            formatTime(s.endedAt),
          ]),
        );
      });
    });
}
