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
  readonly status: 200 | 404;
  readonly body: Buffer | string;
  /** content-type, cache-control and, for the page itself, the security headers. */
  readonly headers: Readonly<Record<string, string>>;
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
 * The page may load only its own scripts (no inline ones, no CDN), call only its own origin, and
 * never be framed. Inline styles are allowed: the graph library positions nodes with them. A step's
 * visualization runs in a sandboxed srcdoc iframe, which inherits this policy.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * What the server answers for a non-API path: the file under dist/ui (hashed files under assets/
 * are cached for a year), or index.html for any path without an extension so that deep links such
 * as `/runs/r-12?step=train` load the app, which routes on the client. A path that tries to leave
 * the folder, or a missing file with an extension, is a 404 (never a file outside dist/ui, and never
 * HTML that a stale tab would try to run as JavaScript). When the app is not built, the 404 says how
 * to build it.
 */
export async function readDashboardAsset(urlPath: string): Promise<DashboardAsset> {
  const root = dashboardAssetsDir();
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return notFound('bad URL encoding');
  }
  const clean = normalize(decoded).replace(/^([/\\])+/, '');
  const candidate = join(root, clean);
  const inside = (candidate === root || candidate.startsWith(root + sep)) && !clean.includes('\0');
  const ext = extname(clean);
  if (ext !== '' && ext !== '.html') {
    if (!inside) return notFound('outside the dashboard');
    try {
      return {
        status: 200,
        body: await readFile(candidate),
        headers: {
          'content-type': contentTypes[ext] ?? 'application/octet-stream',
          'cache-control': clean.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          'x-content-type-options': 'nosniff',
        },
      };
    } catch {
      return notFound(clean);
    }
  }
  try {
    return { status: 200, body: await readFile(join(root, 'index.html')), headers: pageHeaders };
  } catch {
    return notFound('the dashboard is not built: run `pnpm build` in the Strata repository');
  }
}

function notFound(why: string): DashboardAsset {
  return {
    status: 404,
    body: `Not found: ${why}\n`,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  };
}
