import { type BlockState, runBlockTask } from './row-blocks.js';

/**
 * Who runs a job's tasks: this thread alone (serialTeam), or this thread and helper threads taking
 * tasks as they come free (workers/block-threads.ts). Either way each task does the same
 * arithmetic on its own blocks, so the fit is the same.
 */
export interface BlockTeam {
  readonly threads: number;
  /** Runs tasks 0..count-1 of the job described by `state.params` and `state.tasks`; returns when all are done. */
  run(count: number): void;
  /** Stops any threads it started. */
  close(): void;
}

/** Makes the team of a fit, given its state (e.g. threadedTeam in workers/). */
export type TeamFor = (state: BlockState) => BlockTeam;

export function serialTeam(state: BlockState): BlockTeam {
  const scratch = new Uint32Array(state.blockRows);
  return {
    threads: 1,
    run(count) {
      for (let t = 0; t < count; t++) runBlockTask(state, t, scratch);
    },
    close: () => {},
  };
}
