/**
 * `adapter: 'auto'`, the standard pipeline's default: the random forest (ml-random-forest) for small
 * tables, and the histogram gradient-boosted trees above AUTO_FOREST_MAX_ROWS. The forest's exact
 * splits try every distinct value of a feature at every node, so its time grows with the square of
 * the rows: 25 trees over 5 features (two continuous) took 2.7 s of CPU at 1,000 rows, 8 s at 2,000,
 * 27 s at 4,000, and a 16,000-row CSV through the standard pipeline was still training after 10
 * minutes (1M rows: 20 minutes and 3.2 GB before it was stopped), while the booster trains that
 * pipeline in seconds. The choice is recorded: the bundle's `adapter` is the kind that was fitted.
 */
export const AUTO_ADAPTER = 'auto';
export const AUTO_FOREST_MAX_ROWS = 2_000;

/** Above this many rows a forest asked for by name still runs, with a warning naming the fix. */
export const SLOW_FOREST_ROWS = 5_000;

export interface AdapterChoice {
  readonly adapter: string;
  /** Why, for the step's log: set when the adapter was chosen or is known to be slow at this size. */
  readonly note?: string;
}

export function chooseAdapter(requested: string, trainRows: number): AdapterChoice {
  const rows = trainRows.toLocaleString('en-US');
  if (requested === AUTO_ADAPTER) {
    return trainRows > AUTO_FOREST_MAX_ROWS
      ? {
          adapter: 'gradient-boosting',
          note: `adapter auto: ${rows} training rows, above ${AUTO_FOREST_MAX_ROWS.toLocaleString('en-US')}: gradient-boosting (set the adapter parameter to choose another)`,
        }
      : { adapter: 'random-forest', note: `adapter auto: ${rows} training rows: random-forest` };
  }
  if (requested === 'random-forest' && trainRows > SLOW_FOREST_ROWS) {
    return {
      adapter: requested,
      note: `random-forest on ${rows} training rows is slow (its time grows with the square of the rows: minutes to hours) and memory-hungry; fix: use the adapter gradient-boosting (or auto)`,
    };
  }
  return { adapter: requested };
}
