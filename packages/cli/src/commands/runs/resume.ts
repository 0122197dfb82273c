import { withProject } from '../../output/project.js';
import { noteRanPipeline } from '../../start/compile-cache.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('resume')
    .description(
      "resume a failed, cancelled or crashed run: imports the run's pipeline module and re-runs what did not complete; refused while the run's owner is alive",
    )
    .argument('<run>', 'run id')
    .option('--json', 'print the final run record as JSON')
    .action(async (id, options, command) => {
      const { stack: override } = command.optsWithGlobals() as { stack?: string };
      const lib = await import('@strata/project');
      // The run's own stack unless --stack says otherwise.
      const recordedStack = await withProject(
        async (project) => (await project.database.getRun(id))?.stackName,
      );
      const stack = await lib.openStack({
        ...((override ?? recordedStack) ? { stack: (override ?? recordedStack)! } : {}),
      });
      const { Interrupts } = await import('../../output/interrupt.js');
      let runId: string | undefined;
      const interrupts = new Interrupts(stack, () => runId);
      try {
        const { resumeRun } = await import('@strata/core');
        const definition = await lib.loadRunPipeline(stack, id);
        const handle = await resumeRun(id, definition, { stack });
        runId = handle.id;
        const { watchRun } = await import('../../output/progress.js');
        const run = await watchRun(stack, handle, { json: options.json === true });
        noteRanPipeline();
        await interrupts.report();
        if (!interrupts.signal && run.status !== 'completed') process.exitCode = 1;
      } finally {
        interrupts.dispose();
        await stack.close();
      }
      // A cancelled in-process step may still be looping (it ignored its abort signal): the run is over
      // and recorded, so exit now with 130/143 instead of waiting for the step's code to give up.
      if (interrupts.signal) process.exit(process.exitCode);
    });
}
