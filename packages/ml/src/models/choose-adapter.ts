/**
 * `adapter: 'auto'`, the standard pipeline's default: the random forest (ml-random-forest) for small
 * tables, where it is accurate and fast, and the histogram gradient-boosted trees above
 * AUTO_FOREST_MAX_ROWS, where the forest's exact splits over JS arrays take tens of minutes and
 * gigabytes (1M rows, 25 trees: still running after 20 minutes at 3.2 GB) while the booster takes
 * seconds. The choice is recorded: the bundle's `adapter` is the kind that was fitted.
 */
export const AUTO_ADAPTER = 'auto';
export const AUTO_FOREST_MAX_ROWS = 50_000;

/** Above this many rows a forest asked for by name still runs, with a warning naming the fix. */
export const SLOW_FOREST_ROWS = 100_000;

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
      note: `random-forest on ${rows} training rows is slow (minutes to hours) and memory-hungry; fix: use the adapter gradient-boosting (or auto)`,
    };
  }
  return { adapter: requested };
}
