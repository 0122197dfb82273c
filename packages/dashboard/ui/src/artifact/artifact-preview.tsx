import { api } from '../api/api.js';
import type { Preview } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { JsonView } from '../components/json-view.js';
import { Loaded } from '../components/states.js';
import { detectReport } from '../reports/detect.js';
import { ReportView } from '../reports/report-view.js';
import { asTrainedModel, ModelSummary } from './model-summary.js';
import { Sandboxed, visualizationOf } from './sandboxed.js';
import { TablePreview } from './table-preview.js';

/** A bounded preview of an artifact: a report when it is one of @strata/ml's, else by its type. */
export function ArtifactPreview({ artifactId, kind }: { artifactId: string; kind?: string }) {
  const preview = useResource(() => api.preview(artifactId), [artifactId]);
  return (
    <Loaded resource={preview} what="preview">
      {(p) => <PreviewBody preview={p} kind={kind} />}
    </Loaded>
  );
}

export function PreviewBody({ preview, kind }: { preview: Preview; kind?: string | undefined }) {
  const vis = visualizationOf(preview, kind);
  if (vis) return <Sandboxed visualization={vis} />;
  switch (preview.type) {
    case 'table':
      return <TablePreview preview={preview} />;
    case 'json': {
      const report = detectReport(preview.value);
      const model = asTrainedModel(preview.value);
      return (
        <div>
          {report ? <ReportView report={report} /> : null}
          {model ? <ModelSummary model={model} /> : null}
          <details open={!report && !model}>
            <summary>JSON{preview.truncated ? ' (truncated)' : ''}</summary>
            <JsonView value={preview.value} />
          </details>
        </div>
      );
    }
    case 'text':
      return (
        <pre className="text-preview">
          {preview.text}
          {preview.truncated ? '\n… (truncated; download for the whole file)' : ''}
        </pre>
      );
    case 'image':
      return <img className="image-preview" src={preview.dataUrl} alt="Artifact preview" />;
    case 'binary':
      return <p className="muted">No preview: {preview.reason}. Download it instead.</p>;
  }
}
