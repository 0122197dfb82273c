import { lazy, type ReactNode, Suspense } from 'react';
import { Loading } from './components/states.js';
import { NotFoundPage } from './pages/not-found.js';
import { OverviewPage } from './pages/overview.js';
import { PipelinePage } from './pages/pipeline.js';
import { PipelinesPage } from './pages/pipelines.js';
import { RunsPage } from './pages/runs.js';
import { SettingsPage } from './pages/settings.js';
import { StacksPage } from './pages/stacks.js';
import { Link, match, useLocation } from './router.js';
import { ThemeToggle } from './theme.js';

// The pages with graphs pull in React Flow and dagre; they load on demand so the overview and the
// runs list paint without that code.
const RunPage = lazy(() => import('./run/run-page.js').then((m) => ({ default: m.RunPage })));
const ArtifactPage = lazy(() =>
  import('./artifact/artifact-page.js').then((m) => ({ default: m.ArtifactPage })),
);
const ModelsPage = lazy(() => import('./pages/models.js').then((m) => ({ default: m.ModelsPage })));
const ModelPage = lazy(() => import('./pages/model.js').then((m) => ({ default: m.ModelPage })));
const SnapshotPage = lazy(() => import('./pages/snapshot.js').then((m) => ({ default: m.SnapshotPage })));
const ComparePage = lazy(() => import('./pages/compare.js').then((m) => ({ default: m.ComparePage })));

const nav: readonly [string, string][] = [
  ['/', 'Overview'],
  ['/pipelines', 'Pipelines'],
  ['/runs', 'Runs'],
  ['/models', 'Models'],
  ['/compare', 'Compare'],
  ['/stacks', 'Stacks'],
  ['/settings', 'Settings'],
];

const routes: readonly [string, (p: Record<string, string>) => ReactNode][] = [
  ['/', () => <OverviewPage />],
  ['/pipelines', () => <PipelinesPage />],
  ['/pipelines/:name', (p) => <PipelinePage key={p.name} name={p.name as string} />],
  ['/snapshots/:id', (p) => <SnapshotPage key={p.id} snapshotId={p.id as string} />],
  ['/runs', () => <RunsPage />],
  ['/runs/:id', (p) => <RunPage key={p.id} runId={p.id as string} />],
  ['/artifacts/:id', (p) => <ArtifactPage key={p.id} artifactId={p.id as string} />],
  ['/models', () => <ModelsPage />],
  ['/models/:name', (p) => <ModelPage key={p.name} name={p.name as string} />],
  ['/compare', () => <ComparePage />],
  ['/stacks', () => <StacksPage />],
  ['/settings', () => <SettingsPage />],
];

function route(path: string): ReactNode {
  for (const [pattern, render] of routes) {
    const params = pattern === '/' ? (path === '/' || path === '' ? {} : undefined) : match(pattern, path);
    if (params) return render(params);
  }
  return <NotFoundPage />;
}

function isActive(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

export function App() {
  const { path } = useLocation();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Strata overview">
          ◆ Strata
        </Link>
        <nav aria-label="Main">
          <ul>
            {nav.map(([href, label]) => (
              <li key={href}>
                <Link to={href} aria-current={isActive(href, path) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <ThemeToggle />
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="page" />}>{route(path)}</Suspense>
      </main>
    </div>
  );
}
