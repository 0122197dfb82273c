/**
 * Two steps that run at the same time in one process (an in-process run, a Temporal worker) while only
 * one of them reads a file it did not declare: the undeclared-read warning must name that step alone.
 * Orchestrators import this module by path (so it imports no test runner).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pipeline, step, t } from '@strata/core';
import { z } from 'zod';

/** This module's path, for naming it to a worker or a child process. */
export const concurrentReadsModule: string = fileURLToPath(import.meta.url);

const waiting = new Map<string, { arrived: number; open: () => void; opened: Promise<void> }>();

/**
 * Resolves once `parties` callers of this process gave the same key: both steps are then running. A
 * timeout fails the step instead of hanging when the orchestrator ran them one after the other.
 */
function meet(key: string, parties: number, signal: AbortSignal): Promise<void> {
  let gate = waiting.get(key);
  if (!gate) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    gate = { arrived: 0, open, opened };
    waiting.set(key, gate);
  }
  gate.arrived++;
  if (gate.arrived === parties) {
    waiting.delete(key);
    gate.open();
  }
  const { opened } = gate;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the steps of ${key} did not run at the same time in one process`)),
      60_000,
    );
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    void opened.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const reader = step({
  name: 'reader',
  outputs: { text: t.string() },
  params: z.object({ file: z.string() }),
  cache: false,
  async run(_inputs, { file }, ctx) {
    await meet(`${ctx.runId}/start`, 2, ctx.signal);
    // Read while `quiet` is waiting below, in the same process.
    const text = readFileSync(file, 'utf8');
    await meet(`${ctx.runId}/end`, 2, ctx.signal);
    return { text };
  },
});

const quiet = step({
  name: 'quiet',
  outputs: { pid: t.number() },
  cache: false,
  async run(_inputs, _params, ctx) {
    await meet(`${ctx.runId}/start`, 2, ctx.signal);
    await meet(`${ctx.runId}/end`, 2, ctx.signal);
    return { pid: process.pid };
  },
});

/** `reader` reads `file` (undeclared) while `quiet`, running beside it, reads nothing. */
export const concurrentReads = pipeline({
  name: 'concurrent-reads',
  params: z.object({ file: z.string() }),
  body: (p) => {
    reader({}, { params: { file: p.file } });
    quiet();
  },
});
