/**
 * The summary of a trained model artifact of @strata/ml (format `strata.trained-model`): what it
 * predicts, from which inputs, with which hyperparameters, instead of a tree of forest nodes.
 */
interface TrainedModelJson {
  format: 'strata.trained-model';
  adapter?: string;
  task?: string;
  label?: string;
  classes?: string[];
  hyperParameters?: Record<string, unknown>;
  inputSchema?: { name: string; type: string }[];
}

export function asTrainedModel(value: unknown): TrainedModelJson | undefined {
  return value &&
    typeof value === 'object' &&
    (value as { format?: unknown }).format === 'strata.trained-model'
    ? (value as TrainedModelJson)
    : undefined;
}

export function ModelSummary({ model }: { model: TrainedModelJson }) {
  return (
    <section className="report" data-report="model">
      <h3>Trained model</h3>
      <dl className="facts">
        <dt>Algorithm</dt>
        <dd>{model.adapter ?? '—'}</dd>
        <dt>Task</dt>
        <dd>{model.task ?? '—'}</dd>
        <dt>Predicts</dt>
        <dd>{model.label ?? '—'}</dd>
        {model.classes ? (
          <>
            <dt>Classes</dt>
            <dd>{model.classes.join(', ')}</dd>
          </>
        ) : null}
        <dt>Hyperparameters</dt>
        <dd>
          {Object.entries(model.hyperParameters ?? {})
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(', ') || '—'}
        </dd>
        <dt>Inputs</dt>
        <dd>{(model.inputSchema ?? []).map((c) => `${c.name} (${c.type})`).join(', ') || '—'}</dd>
      </dl>
    </section>
  );
}
