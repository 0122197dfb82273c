import { api } from '../api/api.js';
import { useResource } from '../api/use-resource.js';
import { JsonView } from '../components/json-view.js';
import { Loaded } from '../components/states.js';
import { formatBytes, formatTime } from '../format.js';
import { Link, useTitle } from '../router.js';
import { ArtifactPreview } from './artifact-preview.js';
import { LineageGraph } from './lineage-graph.js';

function stepLink(stepRunId: string, runId: string, nodeId: string) {
  return (
    <Link to={`/runs/${encodeURIComponent(runId)}?step=${encodeURIComponent(nodeId)}`} className="mono">
      {stepRunId}
    </Link>
  );
}

/** One artifact: facts, preview (or report), download, producer and consumers, lineage graph. */
export function ArtifactPage({ artifactId }: { artifactId: string }) {
  useTitle(`Artifact ${artifactId.slice(0, 12)}`);
  const detail = useResource(() => api.artifact(artifactId), [artifactId]);
  const lineage = useResource(() => api.lineage(artifactId), [artifactId]);
  return (
    <section className="page">
      <Loaded resource={detail} what="artifact">
        {({ artifact, producers, consumers, metadata }) => (
          <>
            <div className="page-head">
              <h1>
                Artifact <span className="mono">{artifact.id.slice(0, 16)}</span>{' '}
                <span className="chip">{artifact.kind}</span>
              </h1>
              <a className="button" href={api.downloadUrl(artifact.id)} download>
                Download ({formatBytes(artifact.size)})
              </a>
            </div>
            <dl className="facts">
              <dt>Id</dt>
              <dd className="mono small">{artifact.id}</dd>
              <dt>sha256</dt>
              <dd className="mono small">{artifact.sha256}</dd>
              <dt>Materializer</dt>
              <dd>
                {artifact.materializer} v{artifact.materializerVersion}
              </dd>
              <dt>Stored at</dt>
              <dd className="mono small">{artifact.uri}</dd>
              <dt>Created</dt>
              <dd>{formatTime(artifact.createdAt)}</dd>
              <dt>Produced by</dt>
              <dd>
                {producers.length === 0
                  ? '—'
                  : producers.map((p) => <div key={p.id}>{stepLink(p.id, p.runId, p.nodeId)}</div>)}
              </dd>
              <dt>Read by</dt>
              <dd>
                {consumers.length === 0
                  ? 'no step yet'
                  : consumers.map((c) => (
                      <div key={`${c.stepRun.id}-${c.name}`}>
                        {stepLink(c.stepRun.id, c.stepRun.runId, c.stepRun.nodeId)} as <code>{c.name}</code>
                      </div>
                    ))}
              </dd>
            </dl>
            <h2>Preview</h2>
            <ArtifactPreview artifactId={artifact.id} kind={artifact.kind} />
            {Object.keys(metadata).length > 0 ? (
              <>
                <h2>Metadata</h2>
                <JsonView value={metadata} />
              </>
            ) : null}
            <details>
              <summary>Materializer summary</summary>
              <JsonView value={artifact.summary} />
            </details>
          </>
        )}
      </Loaded>
      <h2>Lineage</h2>
      <Loaded resource={lineage} what="lineage">
        {(l) => (
          <>
            {l.truncated ? <p className="muted">The graph was cut at the server's node limit.</p> : null}
            <LineageGraph lineage={l} />
          </>
        )}
      </Loaded>
    </section>
  );
}
