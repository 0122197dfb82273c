import type { Stack } from '@strata/core';
import { keepRunningOnClosedPipe } from './closed-pipe.js';
import { EXIT } from './report-error.js';

/**
 * Ctrl-C and SIGTERM while a run is in progress: the first one cancels the run (its running steps
 * are aborted, containers stopped, a Temporal workflow cancelled, the run marked `cancelled`) and the
 * command exits 130 (SIGINT) or 143 (SIGTERM) once that is done, after printing what it did and how
 * to resume. A second signal exits at once; the run is then reconciled as `crashed` by the next reader.
 */
export class Interrupts {
  #signal: NodeJS.Signals | undefined;
  /** When the first signal came (ms since the epoch). */
  #at = 0;
  readonly #handlers: [NodeJS.Signals, () => void][] = [];
  /** A closed output pipe (`| head`) must not end the run half-done either (closed-pipe.ts). */
  readonly #pipe = keepRunningOnClosedPipe();

  constructor(
    private readonly stack: Stack,
    private readonly runId: () => string | undefined,
  ) {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => this.#on(name);
      this.#handlers.push([name, handler]);
      process.on(name, handler);
    }
  }

  /** The signal that cancelled the run, if one did. */
  get signal(): NodeJS.Signals | undefined {
    return this.#signal;
  }

  #on(name: NodeJS.Signals): void {
    const code = name === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
    if (this.#signal) {
      process.stderr.write(`\n${name} again: exiting now without waiting for the steps to stop\n`);
      process.exit(code);
    }
    this.#signal = name;
    this.#at = Date.now();
    process.exitCode = code;
    const id = this.runId();
    if (!id) {
      // Nothing submitted yet: nothing to cancel.
      process.exit(code);
    }
    process.stderr.write(
      `\n${name}: cancelling run ${id} (stopping its steps; ${name === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again exits at once)\n`,
    );
    void import('@strata/core/plugin')
      .then(({ cancelRun }) => cancelRun(this.stack, id))
      .catch((error: unknown) => {
        process.stderr.write(
          `could not record the cancellation: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      });
  }

  /** After the run ended: what the cancellation did, and the command that resumes it. */
  async report(): Promise<void> {
    const id = this.runId();
    if (!this.#signal || !id) return;
    const completed = (await this.stack.database.getRun(id))?.status === 'completed';
    const steps = await this.stack.database.listStepRuns(id);
    if (completed) {
      // Nothing was cancelled, the run completed. Either the signal came after the last step had
      // finished, or a step finished after it (the cancel reaches a step within a second, and a body
      // that ignores ctx.signal runs to its end): only the first may be said to have come after.
      const after = steps.every((r) => r.endedAt != null && r.endedAt <= this.#at);
      process.stderr.write(
        after
          ? `${this.#signal} came after every step had finished: run ${id} completed\n`
          : `${this.#signal} stopped no step: they all finished before the cancellation reached them; run ${id} completed\n`,
      );
      process.exitCode = EXIT.ok;
      return;
    }
    const count = (...statuses: string[]) => steps.filter((r) => statuses.includes(r.status)).length;
    const finished = count('completed', 'cached');
    // A Temporal workflow closes its rows after the run is marked cancelled: rows still running or
    // pending here are being stopped.
    const stopped = count('cancelled', 'running', 'pending');
    const skipped = count('skipped');
    process.stderr.write(
      `cancelled run ${id}: ${finished} of ${steps.length} steps had finished, ${stopped} ${stopped === 1 ? 'was' : 'were'} stopped or not started` +
        (skipped > 0 ? `, ${skipped} skipped` : '') +
        `\n  resume it with: strata runs resume ${id}\n`,
    );
  }

  dispose(): void {
    this.#pipe();
    for (const [name, handler] of this.#handlers) process.off(name, handler);
  }
}
