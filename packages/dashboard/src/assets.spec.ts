import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardAssetsDir, readDashboardAsset } from './assets.js';

// The test command builds first (`pnpm build` runs vite); without a build these fail loudly.
describe('readDashboardAsset', () => {
  it('is run against a built dashboard', () => {
    expect(existsSync(join(dashboardAssetsDir(), 'index.html')), 'run `pnpm build` first').toBe(true);
  });

  it('answers a deep link with index.html and the security headers', async () => {
    const a = await readDashboardAsset('/runs/r-12?step=train');
    expect(a.status).toBe(200);
    expect(String(a.body)).toContain('<div id="root">');
    expect(a.headers['content-security-policy']).toContain("script-src 'self'");
    expect(a.headers['cache-control']).toBe('no-cache');
  });

  it('serves a hashed asset as immutable JavaScript', async () => {
    const html = String((await readDashboardAsset('/')).body);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const a = await readDashboardAsset(script as string);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toMatch(/javascript/);
    expect(a.headers['cache-control']).toContain('immutable');
  });

  it('never reads outside the assets folder', async () => {
    for (const path of [
      '/../../package.json',
      '/..%2f..%2fpackage.json',
      '/assets/../../../src/assets.ts',
      '/%2e%2e/%2e%2e/package.json',
    ]) {
      const a = await readDashboardAsset(path);
      expect(a.status, path).toBe(404);
      expect(String(a.body), path).not.toContain('"name"');
    }
  });

  it('is a 404, not HTML, for a missing script and for bad encoding', async () => {
    expect((await readDashboardAsset('/assets/gone-1234.js')).status).toBe(404);
    expect((await readDashboardAsset('/%E0%A4%A')).status).toBe(404);
  });
});
