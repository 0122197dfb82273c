import { Bars } from '../charts/bars.js';
import { formatNumber } from '../format.js';
import type { Drift } from './detect.js';

/** PSI per feature against its threshold, and the KS test for numeric features. */
export function DriftReport({ drift }: { drift: Drift }) {
  const withPsi = drift.features.filter((f) => f.psi !== null);
  return (
    <section className="report" data-report="drift">
      <h3>
        Drift:{' '}
        {drift.drifted.length === 0
          ? 'none detected'
          : `${drift.drifted.length} drifted (${drift.drifted.join(', ')})`}
      </h3>
      {withPsi.length > 0 ? (
        <Bars
          items={withPsi.map((f) => ({ label: f.name, value: f.psi as number, highlight: f.drifted }))}
          label="Population stability index per feature"
          threshold={drift.thresholds.psi}
          width={420}
        />
      ) : null}
      <table className="table">
        <caption>
          Per feature (PSI threshold {drift.thresholds.psi}, KS p-value threshold {drift.thresholds.ksPValue})
        </caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">PSI</th>
            <th scope="col">KS statistic</th>
            <th scope="col">KS p-value</th>
            <th scope="col">Drifted</th>
          </tr>
        </thead>
        <tbody>
          {drift.features.map((f) => (
            <tr key={f.name} className={f.drifted ? 'row-error' : undefined}>
              <td>{f.name}</td>
              <td>{formatNumber(f.psi)}</td>
              <td>{formatNumber(f.ks?.statistic)}</td>
              <td>{formatNumber(f.ks?.pValue)}</td>
              <td>{f.drifted ? `yes: ${f.reasons.join('; ')}` : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
