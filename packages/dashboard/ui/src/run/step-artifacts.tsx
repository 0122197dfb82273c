import { type ReactNode, useState } from 'react';
import type { StepIo } from '../api/types.js';
import { ArtifactPreview } from '../artifact/artifact-preview.js';
import { Empty } from '../components/states.js';
import { formatBytes, shortId } from '../format.js';
import { Link } from '../router.js';

/** The step's inputs and outputs, each linking to its artifact page, with a preview on demand. */
export function StepArtifacts({ io }: { io: readonly StepIo[] }) {
  if (io.length === 0) return <Empty title="No inputs or outputs recorded yet" />;
  return (
    <div>
      {(['input', 'output'] as const).map((type) => {
        const items = io.filter((i) => i.type === type);
        if (items.length === 0) return null;
        return (
          <section key={type}>
            <h3>{type === 'input' ? 'Inputs' : 'Outputs'}</h3>
            <ul className="plain io-list">
              {items.map((i) => (
                <li key={`${i.name}-${i.position}-${i.artifactId}`}>
                  <PreviewDetails artifactId={i.artifactId}>
                    <strong>{i.name}</strong>
                    {i.position > 0 ? `[${i.position}]` : ''} <span className="chip">{i.kind}</span>{' '}
                    <span className="muted">{formatBytes(i.size)}</span>{' '}
                    <Link to={`/artifacts/${encodeURIComponent(i.artifactId)}`} className="mono small">
                      {shortId(i.artifactId)}
                    </Link>
                  </PreviewDetails>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/**
 * A closed preview costs nothing: it is fetched (and a chart's code loaded) when it is opened, so a
 * step with many outputs does not download every preview to show their names.
 */
function PreviewDetails({ artifactId, children }: { artifactId: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{children}</summary>
      {open ? <ArtifactPreview artifactId={artifactId} /> : null}
    </details>
  );
}
