/**
 * A confusion matrix as a heatmap: rows are the true class, columns the predicted one; colour
 * intensity is the share of the row, and every cell prints its count.
 */
export function Heatmap({
  labels,
  matrix,
  label,
}: {
  labels: readonly string[];
  matrix: readonly (readonly number[])[];
  label: string;
}) {
  const cell = 44;
  const pad = 90;
  const size = labels.length * cell;
  return (
    <svg
      className="chart heatmap"
      width={pad + size + 4}
      height={pad + size + 4}
      role="img"
      aria-label={label}
    >
      <title>{label}</title>
      <text className="axis" x={pad + size / 2} y={12} textAnchor="middle">
        predicted
      </text>
      <text
        className="axis"
        x={12}
        y={pad + size / 2}
        textAnchor="middle"
        transform={`rotate(-90 12 ${pad + size / 2})`}
      >
        actual
      </text>
      {labels.map((l, j) => (
        <text key={`c${l}`} className="axis" x={pad + j * cell + cell / 2} y={pad - 6} textAnchor="middle">
          {l.length > 6 ? `${l.slice(0, 5)}…` : l}
        </text>
      ))}
      {matrix.map((row, i) => {
        const total = row.reduce((a, b) => a + b, 0) || 1;
        const rowLabel = labels[i] ?? String(i);
        return (
          <g key={`r${rowLabel}`}>
            <text className="axis" x={pad - 6} y={pad + i * cell + cell / 2 + 4} textAnchor="end">
              {rowLabel.length > 10 ? `${rowLabel.slice(0, 9)}…` : rowLabel}
            </text>
            {row.map((v, j) => {
              const share = v / total;
              return (
                <g key={j} data-cell={`${i},${j}`}>
                  <rect
                    className={i === j ? 'cell cell-diag' : 'cell'}
                    x={pad + j * cell}
                    y={pad + i * cell}
                    width={cell - 2}
                    height={cell - 2}
                    style={{ fillOpacity: 0.08 + 0.92 * share }}
                  >
                    <title>{`actual ${rowLabel}, predicted ${labels[j]}: ${v}`}</title>
                  </rect>
                  <text
                    className={share > 0.5 ? 'cell-text strong' : 'cell-text'}
                    x={pad + j * cell + cell / 2 - 1}
                    y={pad + i * cell + cell / 2 + 4}
                    textAnchor="middle"
                  >
                    {v}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
