import { formatTime, printJson, printTable, statusColour } from '../../output/format.js';
import { LIMIT, RUN_STATUS } from '../../output/options.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('list')
    .description('list runs, newest first')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--status <status>', 'only runs with this status', RUN_STATUS)
    .option('-n, --limit <n>', 'at most this many', LIMIT, 20)
    .option('--json', 'print JSON')
    .action(async (options) => {
      await readProject(async (project) => {
        const { reconcileRuns } = await import('@strata/core/plugin');
        // A run marked running whose owner is gone is shown (and recorded) as crashed.
        const listed = await project.database.listRuns({
          limit: options.limit,
          ...(options.pipeline ? { pipelineName: options.pipeline } : {}),
          ...(options.status ? { status: options.status } : {}),
        });
        const runs = (await reconcileRuns(project.database, listed)).filter(
          (r) => options.status === undefined || r.status === options.status,
        );
        if (options.json) return printJson(runs);
        printTable(
          ['RUN', 'PIPELINE', 'STATUS', 'STACK', 'CREATED'],
          runs.map((r) => [
            r.id,
            r.pipelineName,
            statusColour(r.status),
            r.stackName,
            formatTime(r.createdAt),
          ]),
        );
      });
    });
}
