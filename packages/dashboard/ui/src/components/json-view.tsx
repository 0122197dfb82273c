import type { Json } from '../api/types.js';

/** A collapsible JSON tree built on <details>, so it is keyboard-operable with no script. */
export function JsonView({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>
          {JSON.stringify(value as Json)}
        </span>
      </div>
    );
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const shown = entries.slice(0, 200);
  return (
    <details className="json-node" open={depth < 2}>
      <summary>
        {label}
        <span className="muted">{Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}</span>
      </summary>
      <div className="json-children">
        {shown.map(([k, v]) => (
          <JsonView key={k} name={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > shown.length ? (
          <div className="muted">… {entries.length - shown.length} more</div>
        ) : null}
      </div>
    </details>
  );
}
