// Step 2b of docs/plugins.md: an Orchestrator decides where and when steps run, never how. It hands
// each ready step to core's StepRunner; driveRun is core's shared scheduling loop.
import { driveRun, type Orchestrator, StepRunner, type SubmittedRun } from '@strata/core/plugin';

export class SequentialOrchestrator implements Orchestrator {
  readonly flavor = 'sequential';

  async execute(run: SubmittedRun): Promise<{ detached: boolean }> {
    const { database, artifactStore, materializers, extras } = run.stack;
    // `components`: steps reach the stack's model registry, tracker, ... through ctx.component(type).
    const runner = new StepRunner({ database, artifactStore, materializers, components: extras });
    // Concurrency 1: one step instance at a time, in topological order.
    await driveRun(run, runner, (task) => runner.run(task), { concurrency: 1 });
    return { detached: false };
  }
}
