import { Worker } from 'node:worker_threads';
import type { CpuTask, FitResult, PredictResult, Progress } from './cpu-tasks.js';
import { runCpuTask } from './cpu-tasks.js';

export interface WorkerOptions {
  /** Aborting terminates the worker at once (CPU-bound code cannot poll a signal) and rejects with the reason. */
  readonly signal?: AbortSignal;
  readonly onProgress?: Progress;
}

/** Adapter kinds the worker can load (the built-ins); others run on the calling thread. */
const WORKER_KINDS = new Set(['gradient-boosting', 'random-forest', 'logistic-regression', 'dense-network']);

/**
 * Whether tasks go to worker threads: yes unless STRATA_ML_WORKERS=0 (useful when profiling or
 * debugging a model in one thread).
 */
export function workersEnabled(): boolean {
  return process.env.STRATA_ML_WORKERS !== '0';
}

export { threadCount } from './threads.js';

export function canRunInWorker(task: CpuTask): boolean {
  return workersEnabled() && WORKER_KINDS.has(task.kind === 'fit' ? task.adapter : task.model.kind);
}

/** Run a CPU task in a fresh worker thread (or in this thread when it cannot go to one). */
export function runInWorker(task: CpuTask & { kind: 'fit' }, options?: WorkerOptions): Promise<FitResult>;
export function runInWorker(
  task: CpuTask & { kind: 'predict' },
  options?: WorkerOptions,
): Promise<PredictResult>;
export async function runInWorker(
  task: CpuTask,
  options: WorkerOptions = {},
): Promise<FitResult | PredictResult> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  if (!canRunInWorker(task)) return runCpuTask(task, onProgress);
  const worker = startWorker();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, value?: FitResult | PredictResult) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(value!);
    };
    const onAbort = () => finish(signal?.reason ?? new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.done, message.total);
      else if (message.type === 'result') finish(undefined, message.result);
      else finish(Object.assign(new Error(message.message), { name: message.name }));
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) =>
      finish(new Error(`the ML worker thread exited with code ${code} before answering`)),
    );
    // The matrix is copied, not transferred: the caller may still need it (e.g. to predict on it).
    worker.postMessage(task);
  });
}

type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; result: FitResult | PredictResult }
  | { type: 'error'; message: string; name: string };

/**
 * The compiled worker beside this module (dist/...js); when running from the TypeScript source
 * (tests, tsx) a small bootstrap registers tsx's loader in the new thread first, since loader
 * hooks of the parent thread do not reach a worker.
 */
function startWorker(): Worker {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith('.ts')) return new Worker(new URL('./cpu-worker.js', here));
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./cpu-worker.ts', here).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
