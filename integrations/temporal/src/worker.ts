import type { Stack } from '@strata/core';
import { StrataError } from '@strata/core';
import { setBlockedStepRecorder } from '@strata/core/plugin';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities.js';
import { TemporalOrchestrator } from './temporal-orchestrator.js';
import { createTriggerActivities, ensureTriggerLoop, firedByLoop } from './trigger-loop.js';
import { workflowBundle } from './worker-bundle.js';
import { activityPollers } from './worker-tuning.js';

export interface WorkerOptions {
  /** Stack name (default: the project's active stack) or an open stack. */
  readonly stack?: string | Stack;
  /** Defaults to the orchestrator's taskQueue. */
  readonly taskQueue?: string;
  /** Activities (steps, batches of map instances) running at once in this worker. */
  readonly concurrency?: number;
  /** Project directory (default: the current one). */
  readonly cwd?: string;
}

export interface StrataWorker {
  readonly taskQueue: string;
  readonly stack: Stack;
  /** Polls until `shutdown()` (or SIGINT/SIGTERM); closes the connection and the stack it opened. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * A Temporal worker for a Strata stack: it opens the project's stack (metadata store, artifact store),
 * runs the run workflows and executes steps by importing the user's pipeline modules (TypeScript
 * through tsx). Start as many as you like, on as many machines as can reach the stores.
 */
export async function startWorker(options: WorkerOptions = {}): Promise<StrataWorker> {
  await ensureTypeScriptLoader();
  const ownsStack = typeof options.stack !== 'object';
  const stack =
    typeof options.stack === 'object'
      ? options.stack
      : await (await import('@strata/project')).openStack({
          ...(options.stack === undefined ? {} : { stack: options.stack }),
          ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        });
  try {
    const orchestrator = stack.orchestrator;
    if (!(orchestrator instanceof TemporalOrchestrator)) {
      throw new StrataError(
        `stack "${stack.name}" uses the ${orchestrator.flavor} orchestrator, not temporal`,
        {
          code: 'not_temporal',
          field: 'stack',
          value: stack.name,
          fix: 'start the worker with --stack NAME of a stack whose orchestrator has flavor temporal',
        },
      );
    }
    await installStoppedStepRecorder(stack);
    const config = orchestrator.config;
    const taskQueue = options.taskQueue ?? config.taskQueue;
    const connection = await NativeConnection.connect({
      address: config.address,
      ...(config.tls || config.apiKey ? { tls: true } : {}),
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    });
    const concurrency = options.concurrency ?? 4;
    const worker = await Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { ...createActivities(stack), ...createTriggerActivities(stack, orchestrator) },
      maxConcurrentActivityTaskExecutions: concurrency,
      // Free slots for eager dispatch of the next step (see worker-tuning.ts).
      activityTaskPollerBehavior: { type: 'simple-maximum', maximum: activityPollers(concurrency) },
    });
    // The stack's trigger workflow is durable on its own; starting it here only brings back one that
    // was terminated by hand (the first trigger created on the stack starts it too).
    if ((await stack.database.listTriggers({ kind: 'trigger' })).some((t) => firedByLoop(stack, t)))
      await ensureTriggerLoop(stack, orchestrator);
    return {
      taskQueue,
      stack,
      async run() {
        try {
          await worker.run();
        } finally {
          await connection.close();
          if (ownsStack) await stack.close();
        }
      },
      shutdown: () => worker.shutdown(),
    };
  } catch (error) {
    if (ownsStack) await stack.close();
    throw error;
  }
}

/**
 * A step that spins past its timeoutMs ends this worker (core's blocked-loop watchdog): the step is
 * recorded `timed_out` in the metadata store first, so that Temporal's retry on another worker fails
 * it at once instead of running it again. Without a reachable store (a stack built in memory) the
 * worker still ends, and the step is failed by the heartbeat timeout as before.
 */
async function installStoppedStepRecorder(stack: Stack): Promise<void> {
  try {
    const { stoppedStepRecorder } = await import('@strata/project');
    setBlockedStepRecorder(await stoppedStepRecorder(stack.projectRoot));
  } catch {
    setBlockedStepRecorder(undefined);
  }
}

/**
 * Pipeline modules are usually TypeScript: register tsx unless the process was started with it. A
 * project without Strata's packages installed gets them from the running Strata (strata-imports.ts).
 */
async function ensureTypeScriptLoader(): Promise<void> {
  if (!process.execArgv.some((a) => a.includes('tsx'))) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  (await import('@strata/project')).resolveStrataImportsFromRunningStrata();
}
