import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dashboardAssetsDir } from './assets.js';

/**
 * The JS budget of docs/benchmarks.md ("Dashboard"), checked on the built assets (the test command
 * builds first). Sizes are gzip, what crosses the wire: what the first page needs before it can
 * paint, the largest chunk loaded later (the graph pages), and everything together.
 */
const KiB = 1024;
const budget = { initialGzip: 90 * KiB, lazyChunkGzip: 90 * KiB, totalGzip: 200 * KiB, vegaGzip: 300 * KiB };

/** Vega + Vega-Lite: fetched only when a step's Vega-Lite spec is on screen, so budgeted apart. */
const isVega = (f: string) => /^assets\/vega-lite-view-[\w-]+\.js$/.test(f);

function gz(file: string): number {
  return gzipSync(readFileSync(join(dashboardAssetsDir(), file))).length;
}

describe('dashboard bundle budget', () => {
  const html = readFileSync(join(dashboardAssetsDir(), 'index.html'), 'utf8');
  // The entry script and the chunks index.html preloads: what the first paint waits for.
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  const all = readdirSync(join(dashboardAssetsDir(), 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);

  it('the first page needs at most 90 KiB of gzipped JS', () => {
    expect(initial.length).toBeGreaterThan(0);
    const size = initial.reduce((n, f) => n + gz(f), 0);
    expect(size).toBeLessThanOrEqual(budget.initialGzip);
  });

  it('no lazily loaded chunk exceeds 90 KiB gzipped (Vega apart)', () => {
    for (const f of all.filter((f) => !initial.includes(f) && !isVega(f))) {
      expect(gz(f), f).toBeLessThanOrEqual(budget.lazyChunkGzip);
    }
  });

  it('all the JS but Vega together stays under 200 KiB gzipped', () => {
    expect(all.filter((f) => !isVega(f)).reduce((n, f) => n + gz(f), 0)).toBeLessThanOrEqual(
      budget.totalGzip,
    );
  });

  it('Vega + Vega-Lite is one lazy chunk of at most 300 KiB gzipped, never on the first page', () => {
    const vega = all.filter(isVega);
    expect(vega).toHaveLength(1);
    expect(initial.some(isVega)).toBe(false);
    expect(gz(vega[0] as string)).toBeLessThanOrEqual(budget.vegaGzip);
  });
});
