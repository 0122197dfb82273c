import type { Preview } from '../api/types.js';
import { formatNumber } from '../format.js';

type TablePreviewData = Extract<Preview, { type: 'table' }>;

interface ColumnStats {
  readonly missing: number;
  readonly distinct: number;
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
}

/** Per-column statistics of the preview rows (the server sends at most a bounded sample). */
export function columnStats(rows: readonly unknown[][], index: number): ColumnStats {
  let missing = 0;
  const seen = new Set<string>();
  let n = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let numeric = true;
  for (const row of rows) {
    const v = row[index];
    if (v === null || v === undefined || v === '') {
      missing++;
      continue;
    }
    seen.add(String(v));
    const x = typeof v === 'number' ? v : Number.NaN;
    if (Number.isFinite(x)) {
      n++;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    } else numeric = false;
  }
  return numeric && n > 0
    ? { missing, distinct: seen.size, min, max, mean: sum / n }
    : { missing, distinct: seen.size };
}

export function TablePreview({ preview }: { preview: TablePreviewData }) {
  const stats = preview.columns.map((_, i) => columnStats(preview.rows, i));
  return (
    <div className="table-scroll">
      <p className="muted small">
        {preview.rows.length} of {preview.totalRows ?? 'unknown'} rows
        {preview.truncated ? ' (a sample)' : ''}; statistics are over the rows shown.
      </p>
      <table className="table data-table">
        <caption className="sr-only">Table preview</caption>
        <thead>
          <tr>
            {preview.columns.map((c, i) => {
              const s = stats[i] as ColumnStats;
              return (
                <th key={c.name} scope="col">
                  {c.name} <span className="muted small">{c.type}</span>
                  <div className="col-stats small muted">
                    {s.mean !== undefined
                      ? `min ${formatNumber(s.min)} · mean ${formatNumber(s.mean)} · max ${formatNumber(s.max)}`
                      : `${s.distinct} distinct`}
                    {s.missing ? ` · ${s.missing} missing` : ''}
                  </div>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {preview.rows.slice(0, 200).map((row, r) => (
            <tr key={r}>
              {row.map((v, c) => (
                <td key={c}>
                  {v === null || v === undefined ? <span className="muted">∅</span> : String(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
