import type { Stack } from '@strata/core';
import { StrataError } from '@strata/core';
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

/** Pipeline modules are usually TypeScript: register tsx unless the process was started with it. */
async function ensureTypeScriptLoader(): Promise<void> {
  if (process.execArgv.some((a) => a.includes('tsx'))) return;
  const { register } = await import('tsx/esm/api');
  register();
}
