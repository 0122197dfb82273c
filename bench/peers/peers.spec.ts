/**
 * The pure parts of the peer benchmark: medians, ratios, the marginal per-step cost, the table, the
 * docs splice and the SVG. Not in the root suite; run with
 * `pnpm vitest run --config bench/peers/vitest.config.ts`.
 */
import { describe, expect, it } from 'vitest';
import { bucketOf, inclusiveByPackage, packageOf } from './profile.js';
import { markdownTable, replaceBetween } from './report.js';
import type { PeerResults } from './results.js';
import { advantage, marginalPerStep, median, meets, summarize } from './stats.js';
import { formatMs, logDomain, renderChart } from './svg.js';

const sample = (wallMs: number, cpuMs = wallMs / 2) => ({ wallMs, cpuMs, load: 1 });

function fixture(): PeerResults {
  const strata = summarize([sample(100), sample(300), sample(200)], 10);
  const zenml = summarize([sample(20_000)], 10);
  const metaflow = summarize([sample(5_000), sample(7_000)], 10);
  return {
    date: '2026-11-27T12:00:00.000Z',
    command: 'pnpm bench:peers',
    machine: {
      cpus: 2,
      cpuModel: 'cpu',
      memGiB: 24,
      node: 'v20',
      python: '3.11',
      os: 'Linux',
      load: { min: 1, median: 2, max: 3 },
    },
    versions: { strata: '0.1.0', zenml: '0.98.0', metaflow: '2.19.39' },
    cases: [
      {
        id: 'chain',
        title: '(a) 10-step <chain>',
        commands: {},
        steps: { strata: 10, zenml: 10, metaflow: 10 },
        samples: {},
        summary: { strata, zenml, metaflow },
        advantage: {
          zenml: { wall: advantage(strata, zenml, 'wall'), cpu: advantage(strata, zenml, 'cpu') },
          metaflow: { wall: advantage(strata, metaflow, 'wall'), cpu: advantage(strata, metaflow, 'cpu') },
        },
        targets: { zenml: { times: 100, met: true }, metaflow: { times: 20, met: false } },
      },
    ],
    marginalMsPerStep: { strata: { wall: 2, cpu: 4 }, zenml: { wall: 400, cpu: 100 } },
  };
}

describe('stats', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('summarizes per step and divides peer by Strata for the advantage', () => {
    const strata = summarize([sample(100), sample(300), sample(200)], 10);
    expect(strata).toMatchObject({ runs: 3, wallMs: 200, cpuMs: 100, wallMsPerStep: 20, cpuMsPerStep: 10 });
    const peer = summarize([sample(5_000)], 5);
    expect(advantage(strata, peer, 'wall')).toBe(50); // 1000 ms/step vs 20 ms/step
    expect(advantage(strata, peer, 'cpu')).toBe(50);
    const cli = summarize([sample(50)], null);
    expect(cli.wallMsPerStep).toBeNull();
    expect(advantage(cli, summarize([sample(500)], null), 'wall')).toBe(10);
    expect(meets(99.9, 100)).toBe(false);
    expect(meets(100, 100)).toBe(true);
  });

  it('computes the marginal cost of a step from a short and a long run', () => {
    expect(marginalPerStep({ ms: 1000, steps: 10 }, { ms: 1920, steps: 102 })).toBe(10);
    expect(() => marginalPerStep({ ms: 1, steps: 10 }, { ms: 2, steps: 10 })).toThrow(/more steps/);
  });
});

describe('report and chart', () => {
  it('renders one table row per case with ratios, targets and the marginal row', () => {
    const table = markdownTable(fixture());
    const rows = table.split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[2]).toContain('200 ms (3)');
    expect(rows[2]).toContain('**100×**'); // 2000 ms/step over 20 ms/step
    expect(rows[2]).toContain('end to end: zenml ≥ 100×: met; metaflow ≥ 20×: **missed**');
    expect(rows[3]).toContain('**200×** / 25×');
    // The per-step targets are judged on the marginal row, on CPU; (a)/(b) show them end to end.
    expect(rows[3]).toContain('zenml ≥ 100× (CPU): **missed**');
    const quick = markdownTable({
      ...fixture(),
      marginalMsPerStep: { strata: { wall: -1, cpu: 0.5 }, zenml: { wall: 400, cpu: 100 } },
    });
    expect(quick.split('\n')[3]).toContain('below noise (CPU 0.5 ms)');
    expect(quick.split('\n')[3]).toContain('n/a / 200×');
    expect(quick.split('\n')[3]).toContain('zenml ≥ 100× (CPU): met');
  });

  it('splices generated text between markers and leaves a document without them alone', () => {
    const doc = 'a\n<!-- t:start -->\nold\n<!-- t:end -->\nb';
    expect(replaceBetween(doc, 't', 'new')).toBe('a\n<!-- t:start -->\nnew\n<!-- t:end -->\nb');
    expect(replaceBetween('no markers', 't', 'new')).toBe('no markers');
  });

  it('draws log-scale bars whose lengths follow the decades, escaping labels', () => {
    expect(logDomain([150, 20_000])).toEqual([2, 5]);
    expect(logDomain([100])).toEqual([2, 3]);
    expect(formatMs(1500)).toBe('1.5 s');
    expect(formatMs(25_000)).toBe('25 s');
    const svg = renderChart(fixture());
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('(a) 10-step &lt;chain&gt;');
    const widths = [...svg.matchAll(/<rect x="230" y="\d+" width="([\d.]+)" height="14"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(3);
    // 200 ms, 20 s, 6 s on a 100 ms..100 s axis (3 decades over 440 px).
    expect(widths[0]).toBeCloseTo((Math.log10(2) / 3) * 440, 0);
    expect(widths[1]).toBeCloseTo((Math.log10(200) / 3) * 440, 0);
    expect(widths[1]!).toBeGreaterThan(widths[2]!);
  });

  it('buckets profile frames by where the code lives', () => {
    expect(bucketOf('file:///w/packages/core/dist/run.js', 'f')).toBe('@strata/core');
    expect(bucketOf('file:///w/node_modules/.pnpm/kysely@0.28/node_modules/kysely/dist/x.js', 'f')).toBe(
      'dependency kysely',
    );
    expect(bucketOf('node:internal/modules/esm/loader', 'f')).toMatch(/Node module loader/);
    expect(bucketOf('node:internal/modules/esm/hooks', 'makeSyncRequest')).toMatch(/loader hooks/);
    expect(bucketOf('node:fs', 'readSync')).toMatch(/Node internals/);
    expect(bucketOf('', '(garbage collector)')).toBe('garbage collection');
  });

  it('charges a sample to every package on its stack once', () => {
    expect(packageOf('file:///w/node_modules/.pnpm/@a+b@1/node_modules/@a/b/x.js')).toBe('@a/b');
    expect(packageOf('file:///w/packages/metadata/dist/x.js')).toBe('packages/metadata');
    expect(packageOf('node:fs')).toBe('');
    const url = (p: string) => ({ functionName: 'f', url: p });
    const profile = {
      nodes: [
        { id: 1, callFrame: url(''), children: [2] },
        { id: 2, callFrame: url('file:///w/packages/project/dist/a.js'), children: [3] },
        { id: 3, callFrame: url('file:///w/node_modules/pg/lib/b.js'), children: [4] },
        { id: 4, callFrame: url('file:///w/node_modules/pg/lib/c.js') },
      ],
      samples: [4, 2, 1],
      timeDeltas: [3000, 1000, 5000],
      startTime: 0,
      endTime: 9000,
    };
    expect(inclusiveByPackage(profile)).toEqual([
      { pkg: 'packages/project', ms: 4 },
      { pkg: 'pg', ms: 3 },
    ]);
  });
});
