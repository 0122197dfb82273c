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
                  <details>
                    <summary>
                      <strong>{i.name}</strong>
                      {i.position > 0 ? `[${i.position}]` : ''} <span className="chip">{i.kind}</span>{' '}
                      <span className="muted">{formatBytes(i.size)}</span>{' '}
                      <Link to={`/artifacts/${encodeURIComponent(i.artifactId)}`} className="mono small">
                        {shortId(i.artifactId)}
                      </Link>
                    </summary>
                    <ArtifactPreview artifactId={i.artifactId} />
                  </details>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
