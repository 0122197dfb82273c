import { formatNumber } from '../format.js';

/** A metric across runs (oldest left), one point per run, labelled for screen readers and hover. */
export function LineChart({
  points,
  label,
  width = 560,
  height = 180,
}: {
  points: readonly { x: string; y: number }[];
  label: string;
  width?: number;
  height?: number;
}) {
  if (points.length === 0) return null;
  const pad = 36;
  const ys = points.map((p) => p.y);
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const x = (i: number) =>
    pad + (points.length === 1 ? (width - 2 * pad) / 2 : (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v: number) => height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
  return (
    <svg className="chart line-chart" width={width} height={height} role="img" aria-label={label}>
      <title>{label}</title>
      <line className="grid" x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} />
      <text className="axis" x={pad - 4} y={y(hi) + 4} textAnchor="end">
        {formatNumber(hi, 3)}
      </text>
      <text className="axis" x={pad - 4} y={y(lo) + 4} textAnchor="end">
        {formatNumber(lo, 3)}
      </text>
      <path className="line" d={d} fill="none" />
      {points.map((p, i) => (
        <circle key={p.x} className="point" cx={x(i)} cy={y(p.y)} r={3.5}>
          <title>{`${p.x}: ${formatNumber(p.y)}`}</title>
        </circle>
      ))}
    </svg>
  );
}
