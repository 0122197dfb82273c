/** Labels on every step container: cleanup, `cancel` and reaping find a run's containers by them. */
export const RUN_LABEL = 'dev.strata.run-id';
export const STEP_LABEL = 'dev.strata.step';
/**
 * The process that started the container (core's RunOwner of kind `process`, as JSON): a container
 * whose starter is gone (a `strata run` killed with kill -9) is reaped by the next Docker run, by a
 * reader that finds its run crashed, by `strata runs cancel` and by `strata doctor --repair`.
 */
export const OWNER_LABEL = 'dev.strata.owner';
