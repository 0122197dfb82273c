import { lazy, Suspense } from 'react';
import type { Preview } from '../api/types.js';
import { Loading } from '../components/states.js';

// Vega and Vega-Lite are most of a megabyte: fetched only when a step's spec is on screen.
const VegaLiteView = lazy(() => import('./vega-lite-view.js'));

export type Visualization = { type: 'html' | 'svg'; text: string } | { type: 'vega-lite'; spec: unknown };

/**
 * Whether an artifact is a step's own visualization: an HTML or SVG document, or a Vega-Lite spec
 * (a JSON value whose `$schema` names vega-lite).
 */
export function visualizationOf(preview: Preview, kind: string | undefined): Visualization | undefined {
  if (preview.type === 'text') {
    const head = preview.text.trimStart().slice(0, 200).toLowerCase();
    if (kind === 'svg' || head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) {
      return { type: 'svg', text: preview.text };
    }
    if (kind === 'html' || head.startsWith('<!doctype html') || head.startsWith('<html')) {
      return { type: 'html', text: preview.text };
    }
  }
  if (preview.type === 'json' && preview.value && typeof preview.value === 'object') {
    const schema = (preview.value as { $schema?: unknown }).$schema;
    if (typeof schema === 'string' && schema.includes('vega-lite'))
      return { type: 'vega-lite', spec: preview.value };
  }
  return undefined;
}

/**
 * A Vega-Lite spec is drawn by Vega in the page (data inline only, no eval, no links; see
 * vega-lite-view.tsx). HTML or SVG is shown in an iframe with an empty `sandbox` attribute: no scripts, no same-origin
 * access (so no API token, no cookies), no forms, no navigation of the dashboard. An HTML report
 * that needs scripts to draw itself shows its static part only; that is the price of not trusting
 * step output.
 */
export function Sandboxed({ visualization }: { visualization: Visualization }) {
  if (visualization.type === 'vega-lite') {
    return (
      <div>
        <Suspense fallback={<Loading what="chart" />}>
          <VegaLiteView spec={visualization.spec} />
        </Suspense>
        <details>
          <summary>Vega-Lite source</summary>
          <pre className="text-preview">{JSON.stringify(visualization.spec, null, 2)}</pre>
        </details>
      </div>
    );
  }
  const doc =
    visualization.type === 'svg'
      ? `<!doctype html><meta charset="utf-8"><style>body{margin:0}svg{max-width:100%;height:auto}</style>${visualization.text}`
      : visualization.text;
  return (
    <iframe
      className="visualization"
      title="Step visualization (sandboxed)"
      sandbox=""
      srcDoc={doc}
      referrerPolicy="no-referrer"
    />
  );
}
