import { Bars } from '../charts/bars.js';
import { Histogram } from '../charts/histogram.js';
import { formatNumber } from '../format.js';
import type { Statistics } from './detect.js';

/** Per-feature statistics with a histogram (numeric) or top values (categorical). */
export function StatisticsReport({ stats }: { stats: Statistics }) {
  const features = Object.values(stats.features);
  return (
    <section className="report" data-report="statistics">
      <h3>
        Statistics: {stats.rowCount.toLocaleString()} rows, {features.length} features
      </h3>
      <div className="feature-grid">
        {features.map((f) => (
          <article key={f.name} className="feature-card">
            <h4>
              {f.name} <span className="chip">{f.type}</span>
            </h4>
            <p className="small muted">
              {f.count.toLocaleString()} values · {f.missing} missing ({formatNumber(f.missingRate * 100, 3)}
              %)
            </p>
            {f.type === 'numeric' ? (
              <>
                <p className="small">
                  mean {formatNumber(f.mean)} · std {formatNumber(f.std)} · min {formatNumber(f.min)} · max{' '}
                  {formatNumber(f.max)}
                </p>
                {f.histogram ? (
                  <Histogram
                    edges={f.histogram.edges}
                    counts={f.histogram.counts}
                    label={`Histogram of ${f.name}`}
                  />
                ) : null}
              </>
            ) : f.type === 'categorical' ? (
              <>
                <p className="small">{f.distinct} distinct values</p>
                <Bars
                  items={(f.topValues ?? []).slice(0, 8).map((t) => ({ label: t.value, value: t.count }))}
                  label={`Top values of ${f.name}`}
                  width={260}
                />
              </>
            ) : (
              <Bars
                items={[
                  { label: 'true', value: f.trueCount ?? 0 },
                  { label: 'false', value: f.falseCount ?? 0 },
                ]}
                label={`Values of ${f.name}`}
                width={260}
              />
            )}
          </article>
        ))}
      </div>
    </section>
  );
}
