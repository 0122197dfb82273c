import { spawn } from 'node:child_process';
import {
  driveRun,
  type Orchestrator,
  type StepOutcome,
  StepRunner,
  type StepTask,
  type SubmittedRun,
  stepRunId,
} from '@strata/core';

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
    const runner = new StepRunner({
      database: stack.database,
      artifactStore: stack.artifactStore,
      materializers: stack.materializers,
      ...(stack.sources ? { sources: stack.sources } : {}),
      components: stack.extras,
      ...(this.config.echoLogs
        ? { echo: (line) => process.stderr.write(`[${line.stepRunId}] ${line.message}\n`) }
        : {}),
    });
    const dispatch =
      this.config.isolation === 'process'
        ? (task: StepTask) => this.runInChild(run, task)
        : (task: StepTask) => runner.run(task);
    await driveRun(run, runner, dispatch, { concurrency: this.config.concurrency });
    return { detached: false };
  }

  private runInChild(run: SubmittedRun, task: StepTask): Promise<StepOutcome> {
    const command = run.stack.stepCommand;
    if (!command || command.length === 0) {
      return Promise.reject(
        new Error('this stack has no step entry command; process isolation needs @strata/project'),
      );
    }
    const args = [
      ...command.slice(1),
      '--run',
      task.runId,
      '--step',
      task.nodeId,
      // `--index=-1`, not `--index -1`: parseArgs would read "-1" as an option.
      `--index=${task.mapIndex ?? -1}`,
    ];
    if (task.noCache) args.push('--no-cache');
    if (task.resumedFrom) args.push('--resumed-from', task.resumedFrom);
    return new Promise((resolve) => {
      const child = spawn(command[0]!, args, {
        cwd: run.stack.projectRoot,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, STRATA_STACK: run.stack.name },
      });
      const abort = () => child.kill('SIGTERM');
      task.signal?.addEventListener('abort', abort, { once: true });
      child.on('exit', async (code, signal) => {
        task.signal?.removeEventListener('abort', abort);
        const row = await run.stack.database.getStepRun(
          stepRunId(task.runId, task.nodeId, task.mapIndex ?? -1),
        );
        if (row && ['completed', 'cached', 'failed', 'skipped', 'cancelled'].includes(row.status)) {
          resolve({ status: row.status, ...(row.error ? { error: row.error } : {}) });
          return;
        }
        // The child died before recording an outcome (crash, OOM, kill): record it here.
        const error = `step process exited with ${signal ?? `code ${code}`} before recording a result`;
        if (row)
          await run.stack.database.updateStepRun(row.id, { status: 'failed', endedAt: Date.now(), error });
        resolve({ status: 'failed', error });
      });
    });
  }
}
