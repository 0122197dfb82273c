import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `vite build` puts the single-page app: `dist/ui` of this package. Resolved from this module
 * (src/ when run from sources, dist/ when built), so a server finds the assets in a clone and in an
 * installed package alike.
 */
export function dashboardAssetsDir(): string {
  return fileURLToPath(new URL('../dist/ui', import.meta.url));
}

export interface DashboardAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Hashed file names under assets/ never change; index.html must be revalidated. */
  readonly cacheControl: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The file a browser asked for at `urlPath` (e.g. `/assets/index-3f2a.js`), or `index.html` for any
 * other path so that deep links (`/runs/r-12`) load the app, which then routes on the client.
 * Returns undefined when the app is not built. Paths that try to leave the assets folder get
 * index.html, never a file outside it.
 */
export async function readDashboardAsset(urlPath: string): Promise<DashboardAsset | undefined> {
  const root = dashboardAssetsDir();
  const clean = normalize(decodeURIComponent(urlPath.split('?')[0] ?? '/')).replace(/^([/\\])+/, '');
  const candidate = join(root, clean);
  const inside = candidate.startsWith(root + sep) && !clean.includes('\0');
  const ext = extname(candidate);
  if (inside && ext !== '' && ext !== '.html') {
    try {
      return {
        body: await readFile(candidate),
        contentType: contentTypes[ext] ?? 'application/octet-stream',
        cacheControl: clean.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
    } catch {
      // A missing asset with an extension is a 404, not the app: a stale tab asking for an old chunk
      // must not be handed HTML it would try to run as JavaScript.
      return undefined;
    }
  }
  try {
    return {
      body: await readFile(join(root, 'index.html')),
      contentType: contentTypes['.html'] as string,
      cacheControl: 'no-cache',
    };
  } catch {
    return undefined;
  }
}
