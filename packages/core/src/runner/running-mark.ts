/**
 * Marks a step run `running` only once it has been going for `delayMs`. Most steps of a pipeline
 * finish sooner and are then written once, complete (with their start time, attempt and cache
 * fields), which halves the write transactions of a trivial step. A step that is still going gets
 * its `running` row, so progress views and other processes see it. A crash before the mark leaves
 * the row `pending`, which resume and every orchestrator treat like `running`.
 */
export class RunningMark {
  #timer: NodeJS.Timeout | undefined;
  #write: Promise<void> | undefined;

  constructor(
    private readonly write: () => Promise<void>,
    delayMs: number,
  ) {
    if (delayMs <= 0) this.#start();
    else this.#timer = setTimeout(() => this.#start(), delayMs);
  }

  #start(): void {
    this.#timer = undefined;
    // Progress only: a failing store fails the completion write that follows, with its own error.
    this.#write = this.write().catch(() => undefined);
  }

  /**
   * Cancels a mark not yet written, or waits for one in flight, so that it can never land after
   * (and overwrite) the final status on a database with several connections.
   */
  async settle(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#write;
  }
}
