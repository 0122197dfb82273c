import type { Table } from 'apache-arrow';
import { tableFromRows } from '../data/table.js';

/**
 * A seeded three-class table that models get mostly but not entirely right: a category with missing
 * values and one spelled "(missing)", a numeric column with gaps, and a label that overlaps between
 * classes (so the confusion matrix and AUC are not trivial). Large enough (`rows`) for the
 * worker-thread paths.
 */
export function noisyClasses(rows: number, seed = 7): Table {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  return tableFromRows(
    Array.from({ length: rows }, () => {
      const label = random() < 0.4 ? 'A' : random() < 0.6 ? 'B' : 'C';
      const base = label === 'A' ? 1 : label === 'B' ? 2 : 3;
      return {
        label,
        island: random() < 0.05 ? null : ['x', 'y', 'z', '(missing)'][Math.floor(random() * 4)]!,
        a: random() < 0.03 ? null : base + random() * 4,
        b: Math.round((base * 2 + random() * 8) * 10) / 10,
        target: base * 10 + random() * 5,
      };
    }),
  );
}
