import { formatNumber } from '../format.js';
import type { SchemaReport } from './detect.js';

export function SchemaView({ schema }: { schema: SchemaReport }) {
  return (
    <section className="report" data-report="schema">
      <h3>Schema: {schema.features.length} features</h3>
      <table className="table">
        <caption className="sr-only">Schema</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Type</th>
            <th scope="col">Required</th>
            <th scope="col">Missing rate</th>
            <th scope="col">Range or domain</th>
          </tr>
        </thead>
        <tbody>
          {schema.features.map((f) => (
            <tr key={f.name}>
              <td>{f.name}</td>
              <td>{f.type}</td>
              <td>{f.required ? 'yes' : 'no'}</td>
              <td>{formatNumber(f.missingRate)}</td>
              <td>
                {f.range
                  ? `${formatNumber(f.range.min)} … ${formatNumber(f.range.max)}`
                  : f.domain
                    ? f.domain.slice(0, 12).join(', ') +
                      (f.domain.length > 12 ? ` (+${f.domain.length - 12})` : '')
                    : 'any'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
