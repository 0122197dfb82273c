import type { LivenessStore } from '../metadata/liveness-store.js';
import { HEARTBEAT_MS } from './judge-owner.js';

/**
 * Refreshes the heartbeat of the runs this process drives, every HEARTBEAT_MS: time-based, one
 * statement for all of them, never a write per step (the local per-step overhead stays as it was).
 * The timer is unref'd: it never keeps a process alive.
 */
export class Heartbeat {
  readonly #runs = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<LivenessStore, 'heartbeat'>,
    private readonly intervalMs = HEARTBEAT_MS,
  ) {}

  add(runId: string): void {
    this.#runs.add(runId);
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      // A failed beat is only a late beat; the next one retries.
      this.store.heartbeat([...this.#runs], Date.now()).catch(() => undefined);
    }, this.intervalMs);
    this.#timer.unref();
  }

  delete(runId: string): void {
    this.#runs.delete(runId);
    if (this.#runs.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
