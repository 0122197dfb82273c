import { formatNumber } from '../format.js';

/** Horizontal bars with labels (top categorical values, PSI per feature), an optional threshold line. */
export function Bars({
  items,
  label,
  threshold,
  width = 320,
}: {
  items: readonly { label: string; value: number; highlight?: boolean }[];
  label: string;
  threshold?: number | undefined;
  width?: number;
}) {
  const row = 18;
  const labelW = 110;
  const max = Math.max(threshold ?? 0, ...items.map((i) => i.value), 1e-9);
  const scale = (v: number) => ((width - labelW - 50) * v) / max;
  const height = items.length * row + 4;
  return (
    <svg className="chart bars" width={width} height={height} role="img" aria-label={label}>
      <title>{label}</title>
      {items.map((it, i) => (
        <g key={it.label} transform={`translate(0, ${i * row})`}>
          <text className="axis" x={labelW - 4} y={13} textAnchor="end">
            {it.label.length > 16 ? `${it.label.slice(0, 15)}…` : it.label}
          </text>
          <rect
            className={it.highlight ? 'bar bar-alert' : 'bar'}
            x={labelW}
            y={3}
            width={Math.max(1, scale(it.value))}
            height={row - 6}
          >
            <title>{`${it.label}: ${formatNumber(it.value)}`}</title>
          </rect>
          <text className="axis" x={labelW + scale(it.value) + 4} y={13}>
            {formatNumber(it.value, 3)}
          </text>
        </g>
      ))}
      {threshold !== undefined ? (
        <line
          className="threshold"
          x1={labelW + scale(threshold)}
          x2={labelW + scale(threshold)}
          y1={0}
          y2={height}
        />
      ) : null}
    </svg>
  );
}
