import type { GlobalCommand } from '../index.js';

/** The step entry point every remote executor uses: run one step of a recorded run. */
export function register(program: GlobalCommand): void {
  program
    .command('step')
    .description('internal: step execution')
    .command('run')
    .description('run one step of a recorded run in this process (used by containers and workers)')
    .requiredOption('--run <id>', 'run id')
    .requiredOption('--step <node>', 'step (node) id')
    .option('--index <i>', 'instance index of a mapped step', '-1')
    .option('--no-cache', 'ignore cached results')
    .option('--resumed-from <run>', 'reuse identical completed steps of this run')
    .action(async (options, command) => {
      const { stack: stackName } = command.optsWithGlobals() as { stack?: string };
      const [{ openStack, enableTypeScript }, { runStepEntry }] = await Promise.all([
        import('@strata/project'),
        import('@strata/core'),
      ]);
      const stack = await openStack(stackName === undefined ? {} : { stack: stackName });
      try {
        // After the stack is loaded: imports made once tsx's hooks are registered are slower.
        await enableTypeScript();
        const outcome = await runStepEntry(stack, {
          runId: options.run,
          nodeId: options.step,
          mapIndex: Number(options.index),
          noCache: options.cache === false,
          resumedFrom: options.resumedFrom ?? null,
        });
        if (outcome.status === 'failed' || outcome.status === 'cancelled') process.exitCode = 1;
      } finally {
        await stack.close();
      }
    });
}
