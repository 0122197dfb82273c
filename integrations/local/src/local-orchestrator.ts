import { stepRunId } from '@strata/core';
import {
  driveRun,
  type Orchestrator,
  type StepOutcome,
  type StepTask,
  type SubmittedRun,
  settleStepFromRow,
  stepEntryArgs,
} from '@strata/core/plugin';

/**
 * How long past its timeout a step process may still record its own `timed_out` (a step that yields
 * stops itself, with its logs) before the watchdog kills it.
 */
const WATCHDOG_GRACE_MS = 250;

export interface LocalOrchestratorConfig {
  /** Step instances running at once. */
  readonly concurrency: number;
  /** Run each step in a child process (isolation, crash containment) instead of in this process. */
  readonly isolation: 'in-process' | 'process';
  /** Echo step log lines to stderr as they happen. */
  readonly echoLogs?: boolean;
}

/**
 * Runs steps on this machine. In `process` mode each step runs through the same entry point that
 * containers and Temporal workers use (`stepCommand` of the stack), which proves that entry point.
 */
export class LocalOrchestrator implements Orchestrator {
  readonly flavor = 'local';
  constructor(private readonly config: LocalOrchestratorConfig) {}

  async execute(run: SubmittedRun): Promise<{ detached: boolean }> {
    const { stack } = run;
    const runner = stack.stepRunner(
      this.config.echoLogs
        ? { echo: (line) => process.stderr.write(`[${line.stepRunId}] ${line.message}\n`) }
        : {},
    );
    // `in-process` means in this process: hooks share the pipeline module's state and a pipeline defined
    // in a test file runs. A timeout there stops code that yields; code that never yields is stopped only
    // under `process` isolation, where the orchestrator's watchdog kills the step's process.
    const dispatch =
      this.config.isolation === 'process'
        ? (task: StepTask) => this.runInChild(run, task)
        : (task: StepTask) => runner.run(task);
    await driveRun(run, runner, dispatch, { concurrency: this.config.concurrency });
    return { detached: false };
  }

  private async runInChild(run: SubmittedRun, task: StepTask): Promise<StepOutcome> {
    const command = run.stack.stepCommand;
    if (!command || command.length === 0) {
      throw new Error('this stack has no step entry command; process isolation needs @strata/project');
    }
    const args = [...command.slice(1), ...stepEntryArgs(task, run.stack.name)];
    // Imported here: in-process runs (the default) never spawn, and child_process costs a start ~2 ms.
    const { spawn } = await import('node:child_process');
    return new Promise((resolve) => {
      const child = spawn(command[0]!, args, {
        cwd: run.stack.projectRoot,
        // The IPC channel is the child's lifeline: when this process dies (kill -9), the channel
        // closes and the step process exits too instead of finishing a step of a crashed run.
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, STRATA_STACK: run.stack.name },
      });
      const abort = () => child.kill('SIGTERM');
      task.signal?.addEventListener('abort', abort, { once: true });
      // The watchdog: started when the child is about to run the step (after its start-up), it kills
      // a step that ran past its timeout even if the step never yields to its own timer.
      const timeoutMs = run.snapshot.nodes.find((n) => n.id === task.nodeId)?.timeoutMs;
      let watchdog: NodeJS.Timeout | undefined;
      let timedOut = false;
      child.on('message', (message: unknown) => {
        if (timeoutMs === undefined || (message as { type?: string } | null)?.type !== 'strata:step-started')
          return;
        watchdog = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs + WATCHDOG_GRACE_MS);
      });
      child.on('exit', async (code, signal) => {
        clearTimeout(watchdog);
        task.signal?.removeEventListener('abort', abort);
        // The child's own result when it recorded one; else what was seen from here (core's one rule).
        resolve(
          await settleStepFromRow(
            run.stack.database,
            stepRunId(task.runId, task.nodeId, task.mapIndex ?? -1),
            {
              timedOut,
              cancelled: task.signal?.aborted === true,
              messages: {
                timedOut: `step timed out after ${timeoutMs} ms; its process was stopped`,
                cancelled: 'run cancelled: step process stopped',
                died: `step process exited with ${signal ?? `code ${code}`} before recording a result`,
              },
            },
          ),
        );
      });
    });
  }
}
