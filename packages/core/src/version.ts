/** Recorded in every snapshot and run so a result can be traced to the framework that produced it. */
export const STRATA_VERSION = '0.1.0';
