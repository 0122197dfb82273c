import { Heatmap } from '../charts/heatmap.js';
import { formatNumber } from '../format.js';
import {
  type ClassificationMetrics,
  type Evaluation,
  isClassification,
  type RegressionMetrics,
} from './detect.js';

function headline(m: ClassificationMetrics | RegressionMetrics): [string, number | null][] {
  return isClassification(m)
    ? [
        ['accuracy', m.accuracy],
        ['macro F1', m.macroF1],
        ['macro precision', m.macroPrecision],
        ['macro recall', m.macroRecall],
        ['ROC AUC', m.rocAuc],
      ]
    : [
        ['RMSE', m.rmse],
        ['MAE', m.mae],
        ['R²', m.r2],
      ];
}

/** Metrics against the baseline model, the confusion matrix as a heatmap, per-class and per-slice metrics. */
export function EvaluationReport({
  candidate,
  baseline,
}: {
  candidate: Evaluation;
  baseline: { version: number; evaluation: Evaluation } | null;
}) {
  const m = candidate.metrics;
  const base = baseline ? headline(baseline.evaluation.metrics) : undefined;
  return (
    <section className="report" data-report="evaluation">
      <h3>
        Evaluation ({candidate.task}, {m.count} rows)
      </h3>
      <table className="table metrics-table">
        <caption className="sr-only">Metrics</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Candidate</th>
            {baseline ? <th scope="col">Baseline v{baseline.version}</th> : null}
          </tr>
        </thead>
        <tbody>
          {headline(m).map(([name, v], i) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{formatNumber(v)}</td>
              {base ? <td>{formatNumber(base[i]?.[1])}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {isClassification(m) ? (
        <div className="grid-2">
          <figure>
            <Heatmap
              labels={m.confusionMatrix.labels}
              matrix={m.confusionMatrix.matrix}
              label="Confusion matrix"
            />
            <figcaption>Confusion matrix (rows: actual, columns: predicted)</figcaption>
          </figure>
          <table className="table">
            <caption>Per class</caption>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">Precision</th>
                <th scope="col">Recall</th>
                <th scope="col">F1</th>
                <th scope="col">Support</th>
              </tr>
            </thead>
            <tbody>
              {m.perClass.map((c) => (
                <tr key={c.class}>
                  <td>{c.class}</td>
                  <td>{formatNumber(c.precision)}</td>
                  <td>{formatNumber(c.recall)}</td>
                  <td>{formatNumber(c.f1)}</td>
                  <td>{c.support}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {candidate.slices.length > 0 ? (
        <table className="table">
          <caption>Per slice</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Slice</th>
              <th scope="col">Rows</th>
              {headline(candidate.slices[0]?.metrics ?? m).map(([name]) => (
                <th key={name} scope="col">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {candidate.slices.map((s) => (
              <tr key={`${s.column}-${s.slice}`}>
                <td>{s.column}</td>
                <td>{s.slice}</td>
                <td>{s.count}</td>
                {headline(s.metrics).map(([name, v]) => (
                  <td key={name}>{formatNumber(v)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
