import { readDashboardAsset } from '@strata/dashboard';
import type { App } from './app-type.js';

/**
 * The web dashboard (@strata/dashboard's built single-page app) on every GET outside the API: `/`,
 * deep links such as `/runs/r-12?step=train` (answered with index.html; the app routes on the client)
 * and the hashed assets. No authentication here: the page holds no data, and every API call it makes
 * is authenticated like any other client's.
 */
export function serveDashboard(root: App, apiPrefix: string): void {
  root.get('*', async (c, next) => {
    if (c.req.path === apiPrefix || c.req.path.startsWith(`${apiPrefix}/`)) return next();
    const asset = await readDashboardAsset(c.req.path);
    return c.body(
      new Uint8Array(typeof asset.body === 'string' ? Buffer.from(asset.body) : asset.body),
      asset.status,
      {
        ...asset.headers,
      },
    );
  });
}
