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
      // Started by a local orchestrator with an IPC channel: when that process dies, so does this
      // step (a step of a crashed run must not finish later and overwrite what readers recorded).
      if (process.connected) {
        process.on('disconnect', () => process.exit(137));
        process.channel?.unref();
      }
      const [{ openStack, enableTypeScript }, { runStepEntry }] = await Promise.all([
        import('@strata/project'),
        import('@strata/core'),
      ]);
      const stack = await openStack(stackName === undefined ? {} : { stack: stackName });
      try {
        // After the stack is loaded: imports made once tsx's hooks are registered are slower.
        await enableTypeScript();
        // Tells a local orchestrator's watchdog that start-up is over: the step's timeout runs from here.
        process.send?.({ type: 'strata:step-started' });
        const outcome = await runStepEntry(stack, {
          runId: options.run,
          nodeId: options.step,
          mapIndex: Number(options.index),
          noCache: options.cache === false,
          resumedFrom: options.resumedFrom ?? null,
        });
        if (outcome.status !== 'completed' && outcome.status !== 'cached') process.exitCode = 1;
      } finally {
        await stack.close();
      }
    });
}
