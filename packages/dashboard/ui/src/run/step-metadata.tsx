import { JsonView } from '../components/json-view.js';
import { Empty } from '../components/states.js';

/** What the step recorded with ctx.log (metrics, notes). */
export function StepMetadata({ metadata }: { metadata: Record<string, unknown> }) {
  if (Object.keys(metadata).length === 0) {
    return <Empty title="No metadata">Steps record values with ctx.log(key, value).</Empty>;
  }
  return (
    <table className="table">
      <caption className="sr-only">Step metadata</caption>
      <tbody>
        {Object.entries(metadata).map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v !== null && typeof v === 'object' ? <JsonView value={v} /> : String(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
