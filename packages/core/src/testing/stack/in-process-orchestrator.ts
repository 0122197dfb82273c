import type { ExecuteResult, Orchestrator, SubmittedRun } from '../../orchestrator/orchestrator.js';
import { driveRun } from '../../runner/run-loop.js';

/**
 * Core's run loop as an orchestrator: every step on the stack's one StepRunner, in this process (what
 * the local orchestrator does with `isolation: in-process`, without its child-process mode).
 */
export class InProcessOrchestrator implements Orchestrator {
  readonly flavor = 'in-process';

  constructor(
    private readonly concurrency: number,
    private readonly echoLogs: boolean,
  ) {}

  async execute(run: SubmittedRun): Promise<ExecuteResult> {
    const runner = run.stack.stepRunner(
      this.echoLogs ? { echo: (line) => process.stderr.write(`[${line.stepRunId}] ${line.message}\n`) } : {},
    );
    await driveRun(run, runner, (task) => runner.run(task), { concurrency: this.concurrency });
    return { detached: false };
  }
}
