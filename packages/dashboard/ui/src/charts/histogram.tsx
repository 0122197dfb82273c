import { formatNumber } from '../format.js';

/**
 * Equal-width bins as an SVG bar chart. Plain SVG instead of a charting library: the shapes are
 * fixed and small, it costs no bundle bytes, follows the theme through CSS, and each bar carries a
 * <title> so the numbers are readable without hovering precision.
 */
export function Histogram({
  edges,
  counts,
  label,
  width = 240,
  height = 80,
}: {
  edges: readonly number[];
  counts: readonly number[];
  label: string;
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...counts);
  const bw = width / Math.max(1, counts.length);
  return (
    <svg className="chart histogram" width={width} height={height + 14} role="img" aria-label={label}>
      <title>{label}</title>
      {counts.map((c, i) => {
        const h = (c / max) * height;
        return (
          <rect key={i} className="bar" x={i * bw + 1} y={height - h} width={Math.max(1, bw - 2)} height={h}>
            <title>{`[${formatNumber(edges[i])}, ${formatNumber(edges[i + 1])}): ${c}`}</title>
          </rect>
        );
      })}
      <text className="axis" x={0} y={height + 12}>
        {formatNumber(edges[0])}
      </text>
      <text className="axis" x={width} y={height + 12} textAnchor="end">
        {formatNumber(edges[edges.length - 1])}
      </text>
    </svg>
  );
}
