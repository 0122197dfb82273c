import { bold, formatTime, printJson, printTable, statusColour } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('show')
    .description("show a run: status, stack, parameters and each step's status and cache reason")
    .argument('<run>', 'run id')
    .option('--json', 'print JSON')
    .action(async (id, options) => {
      await withProject(async (project) => {
        const { StrataError } = await import('@strata/core');
        const run = await project.database.getRun(id);
        if (!run)
          throw new StrataError(`run ${id} does not exist`, {
            code: 'unknown_run',
            field: 'run',
            value: id,
            fix: 'list runs with `strata runs list`',
          });
        const steps = await project.database.listStepRuns(id);
        if (options.json) return printJson({ run, steps });
        process.stdout.write(`${bold(`run ${run.id}`)} (${run.name})\n`);
        process.stdout.write(
          `  pipeline ${run.pipelineName} · stack ${run.stackName} · ${statusColour(run.status)} · created ${formatTime(run.createdAt)}\n`,
        );
        process.stdout.write(
          `  params ${JSON.stringify(run.params)}${run.resumedFrom ? ` · resumed from ${run.resumedFrom}` : ''}\n`,
        );
        if (run.error) process.stdout.write(`  error ${run.error}\n`);
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
