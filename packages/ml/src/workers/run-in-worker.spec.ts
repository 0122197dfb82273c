import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../models/gbdt/booster.js';
import type { DenseMatrix } from '../models/gbdt/matrix.js';
import { type FitResult, type PredictResult, predictionsOf, runCpuTask } from './cpu-tasks.js';
import { predictParallel } from './parallel-predict.js';
import { runInWorker } from './run-in-worker.js';

function blobs(rows: number, seed: number): { X: DenseMatrix; y: string[] } {
  const random = mulberry32(seed);
  const data = new Float64Array(new SharedArrayBuffer(rows * 3 * 8));
  const y: string[] = [];
  for (let r = 0; r < rows; r++) {
    const k = Math.floor(random() * 3);
    y.push(`k${k}`);
    for (let c = 0; c < 3; c++) data[r * 3 + c] = random() + (c === k ? 0.7 : 0);
  }
  return { X: { rows, cols: 3, data }, y };
}

describe('CPU tasks on worker threads', () => {
  it('fits the same model in a worker as on this thread, reporting progress', async () => {
    const { X, y } = blobs(3000, 1);
    const task = {
      kind: 'fit',
      adapter: 'gradient-boosting',
      task: 'classification',
      X,
      y,
      hyper: { nEstimators: 15 },
    } as const;
    const progress: number[] = [];
    const inWorker = await runInWorker(task, { onProgress: (done) => progress.push(done) });
    const here = await runCpuTask(task);
    expect(JSON.stringify(inWorker)).toBe(JSON.stringify(here));
    expect(progress.at(-1)).toBe(15);
    expect(inWorker.importance).toHaveLength(3);
  });

  it('keeps the event loop free while fitting, and an abort stops the worker at once', async () => {
    const { X, y } = blobs(60_000, 2);
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 20);
    const started = Date.now();
    const fit = runInWorker(
      {
        kind: 'fit',
        adapter: 'gradient-boosting',
        task: 'classification',
        X,
        y,
        // No early stopping: the fit must still be running when the abort comes.
        hyper: { nEstimators: 100_000, earlyStopping: false },
      },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('stop now')), 1500);
    await expect(fit).rejects.toThrow('stop now');
    clearInterval(timer);
    // Timers ran during the fit (a blocked loop would tick once at the end), and the abort was prompt.
    expect(ticks).toBeGreaterThan(10);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('predicts row ranges on several threads with the same results as one thread', async () => {
    const { X, y } = blobs(50_000, 3);
    const { model } = (await runCpuTask({
      kind: 'fit',
      adapter: 'gradient-boosting',
      task: 'classification',
      X,
      y,
      hyper: { nEstimators: 5 },
    })) as FitResult;
    const one = (await runCpuTask({ kind: 'predict', model, X })) as PredictResult;
    const many = await predictParallel(model, X, { threads: 2 });
    expect(one.codes).toBeInstanceOf(Int32Array);
    // Class indices come back joined as an Int32Array, not as a string per row.
    expect(many.codes).toBeInstanceOf(Int32Array);
    expect(many.codes).toEqual(one.codes);
    const names = predictionsOf(many, model.classes);
    expect(names).toEqual(predictionsOf(one, model.classes));
    expect(new Set(names)).toEqual(new Set(model.classes));
    expect(many.probabilities).toEqual(one.probabilities);
  });

  it('rejects with the adapter error raised inside the worker', async () => {
    const { X, y } = blobs(100, 4);
    await expect(
      runInWorker({
        kind: 'fit',
        adapter: 'gradient-boosting',
        task: 'classification',
        X,
        y,
        hyper: { learningRate: 7 },
      }),
    ).rejects.toThrow(/learningRate/);
  });
});
