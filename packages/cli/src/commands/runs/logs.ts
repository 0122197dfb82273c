import { dim } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('logs')
    .description('print the log lines of a run (or one step); --follow keeps printing until the run ends')
    .argument('<run>', 'run id')
    .option('--step <node>', 'only this step')
    .option('-f, --follow', 'keep polling for new lines until the run finishes')
    .option('--json', 'print JSON lines')
    .action(async (id, options) => {
      await readProject(async (project) => {
        const { StrataError } = await import('@strata/core');
        const { reconcileRun, finishedRunStatuses } = await import('@strata/core/plugin');
        const db = project.database;
        if (!(await db.getRun(id)))
          throw new StrataError(`run ${id} does not exist`, {
            code: 'unknown_run',
            field: 'run',
            value: id,
            fix: 'list runs with `strata runs list`',
          });
        const steps = await db.listStepRuns(id);
        const names = new Map(
          steps.map((s) => [s.id, s.mapIndex >= 0 ? `${s.nodeId}[${s.mapIndex}]` : s.nodeId]),
        );
        const wanted =
          options.step === undefined ? undefined : steps.filter((s) => s.nodeId === options.step);
        if (wanted && wanted.length === 0) {
          throw new StrataError(`run ${id} has no step "${options.step}"`, {
            code: 'unknown_step',
            field: 'step',
            value: options.step,
            fix: `use one of: ${[...new Set(steps.map((s) => s.nodeId))].join(', ')}`,
          });
        }
        // Seqs count per step run, so what was printed is remembered per step run (a run-wide "after
        // seq N" would drop the early lines of a step that started after another had logged N lines).
        const seen = new Map<string, number>();
        let last = false;
        for (;;) {
          const sources = wanted ? wanted.map((s) => ({ stepRunId: s.id })) : [{ runId: id }];
          for (const source of sources) {
            const after = 'stepRunId' in source ? (seen.get(source.stepRunId) ?? -1) : -1;
            const lines = await db.readLogs({ ...source, afterSeq: after });
            for (const line of lines) {
              if (line.seq <= (seen.get(line.stepRunId) ?? -1)) continue;
              seen.set(line.stepRunId, line.seq);
              if (options.json) process.stdout.write(`${JSON.stringify(line)}\n`);
              else
                process.stdout.write(
                  `${dim(new Date(line.at).toISOString().slice(11, 23))} ${names.get(line.stepRunId) ?? line.stepRunId} ${line.level.padEnd(5)} ${line.message}\n`,
                );
            }
          }
          if (last || !options.follow) break;
          // --follow ends once the run is over, including a run whose owner died (now crashed); one
          // more pass prints what was logged between the last read and the end.
          const run = await reconcileRun(db, (await db.getRun(id))!);
          if (finishedRunStatuses.includes(run.status)) {
            last = true;
            if (run.status !== 'completed' && !options.json)
              process.stderr.write(`run ${id} ${run.status}${run.error ? `: ${run.error}` : ''}\n`);
            continue;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      });
    });
}
