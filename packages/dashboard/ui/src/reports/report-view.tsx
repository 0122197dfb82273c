import type { Report } from './detect.js';
import { DriftReport } from './drift-report.js';
import { EvaluationReport } from './evaluation-report.js';
import { SchemaView } from './schema-view.js';
import { StatisticsReport } from './statistics-report.js';

export function ReportView({ report }: { report: Report }) {
  switch (report.kind) {
    case 'statistics':
      return <StatisticsReport stats={report.value} />;
    case 'schema':
      return <SchemaView schema={report.value} />;
    case 'drift':
      return <DriftReport drift={report.value} />;
    case 'validation':
      return (
        <section className="report" data-report="validation">
          <h3>Validation {report.ok ? '✓ passed' : '✗ failed'}</h3>
          {report.anomalies.length === 0 ? (
            <p>No anomalies.</p>
          ) : (
            <table className="table">
              <caption>Anomalies</caption>
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {report.anomalies.map((a) => (
                  <tr
                    key={`${a.column}-${a.kind}`}
                    className={a.severity === 'error' ? 'row-error' : undefined}
                  >
                    <td>{a.column}</td>
                    <td>{a.kind}</td>
                    <td>{a.severity}</td>
                    <td>{a.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <DriftReport drift={report.drift} />
        </section>
      );
    case 'evaluation':
      return <EvaluationReport candidate={report.candidate} baseline={report.baseline} />;
  }
}
