// Step 2b of docs/plugins.md: an Orchestrator decides where and when steps run, never how. It hands
// each ready step to the StepRunner it gets from the stack; driveRun is core's shared scheduling loop.
import { driveRun, type Orchestrator, type SubmittedRun } from '@strata/core/plugin';

export class SequentialOrchestrator implements Orchestrator {
  readonly flavor = 'sequential';

  async execute(run: SubmittedRun): Promise<{ detached: boolean }> {
    // The stack's one StepRunner factory: the runner comes with the stack's database, artifact store,
    // materializers and components (steps reach the model registry, tracker, ... via ctx.component).
    const runner = run.stack.stepRunner();
    // Concurrency 1: one step instance at a time, in topological order.
    await driveRun(run, runner, (task) => runner.run(task), { concurrency: 1 });
    return { detached: false };
  }
}
