import { useEffect, useRef, useState } from 'react';
import { type Loader, loader as vegaLoader } from 'vega';
import embed, { type Result, type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';

/**
 * A loader that fetches nothing and opens no link: a step's spec is untrusted output, so it must carry
 * its data inline (`data.values`), and an `href` channel cannot send the user elsewhere.
 */
function closedLoader(): Loader {
  const refuse = (uri: string) =>
    Promise.reject(
      new Error(
        `the spec asks for "${String(uri).slice(0, 80)}": the dashboard loads nothing a step's visualization names; put the data inline (data.values)`,
      ),
    );
  return { ...vegaLoader(), load: refuse, sanitize: refuse } as Loader;
}

function darkTheme(): boolean {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'dark' || chosen === 'light') return chosen === 'dark';
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

/**
 * Draws a step's Vega-Lite spec with Vega, as SVG. Loaded on demand (Vega is most of a megabyte).
 * Expressions go through Vega's interpreter rather than `new Function`, so the page's
 * Content-Security-Policy keeps forbidding eval.
 */
export default function VegaLiteView({ spec }: { spec: unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let result: Result | undefined;
    let cancelled = false;
    embed(el, spec as VisualizationSpec, {
      renderer: 'svg',
      actions: false,
      ast: true,
      expr: expressionInterpreter,
      loader: closedLoader(),
      defaultStyle: false,
      ...(darkTheme() ? { theme: 'dark' as const } : {}),
      config: { background: 'transparent' },
    }).then(
      (r) => {
        if (cancelled) r.finalize();
        else {
          result = r;
          setDrawn(true);
        }
      },
      (e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      cancelled = true;
      result?.finalize();
    };
  }, [spec]);
  return (
    <div className="vega-lite" data-report="vega-lite" data-drawn={drawn ? 'true' : undefined}>
      {error ? (
        <p className="error-text" role="alert">
          This Vega-Lite spec could not be drawn: {error}
        </p>
      ) : null}
      <div
        ref={ref}
        role="img"
        aria-label={(spec as { description?: string }).description ?? 'Vega-Lite chart'}
      />
    </div>
  );
}
