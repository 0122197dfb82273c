/** Labels on every step container: cleanup and `cancel` find a run's containers by them. */
export const RUN_LABEL = 'dev.strata.run-id';
export const STEP_LABEL = 'dev.strata.step';
