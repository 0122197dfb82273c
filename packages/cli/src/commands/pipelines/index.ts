import { formatTime, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { GlobalCommand } from '../index.js';

export function register(program: GlobalCommand): void {
  const group = program.command('pipelines').description('pipelines that have runs in the metadata store');
  group
    .command('list')
    .description('list pipelines with their run count and last run')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await readProject(async (project) => {
        const pipelines = await project.database.listPipelines();
        if (options.json) return printJson(pipelines);
        printTable(
          ['PIPELINE', 'RUNS', 'LAST RUN'],
          pipelines.map((p) => [p.name, String(p.runCount), formatTime(p.lastRunAt)]),
        );
      });
    });
}
