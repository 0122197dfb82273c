/**
 * The chart in docs/benchmarks-peers.svg, drawn by hand from the results: one group of horizontal
 * bars per case (median wall time per run), log-scale axis, no dependencies.
 */
import type { PeerResults } from './results.js';
import { FRAMEWORKS, type Framework } from './stats.js';

const COLORS: Record<Framework, string> = { strata: '#2563eb', zenml: '#f97316', metaflow: '#16a34a' };
const LABEL_W = 230;
const PLOT_W = 440;
const BAR_H = 14;
const GAP = 4;
const GROUP_GAP = 16;
const TOP = 56;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms.toFixed(0)} ms`;
}

/** Decades [10^lo, 10^hi] covering every value. */
export function logDomain(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [0, 1];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  return [lo, hi === lo ? lo + 1 : hi];
}

export function renderChart(results: PeerResults): string {
  const bars = results.cases.flatMap((c) =>
    FRAMEWORKS.flatMap((f) => (c.summary[f] ? [{ c, f, ms: c.summary[f]!.wallMs }] : [])),
  );
  const [lo, hi] = logDomain(bars.map((b) => b.ms));
  const x = (ms: number) => LABEL_W + ((Math.log10(Math.max(ms, 10 ** lo)) - lo) / (hi - lo)) * PLOT_W;
  const out: string[] = [];
  let y = TOP;
  for (const c of results.cases) {
    const present = FRAMEWORKS.filter((f) => c.summary[f]);
    const groupH = present.length * (BAR_H + GAP);
    out.push(
      `<text x="${LABEL_W - 8}" y="${y + groupH / 2 + 4}" text-anchor="end" font-size="12">${escapeXml(c.title)}</text>`,
    );
    for (const f of present) {
      const ms = c.summary[f]!.wallMs;
      const w = Math.max(1, x(ms) - LABEL_W);
      out.push(
        `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${COLORS[f]}"><title>${f}: ${formatMs(ms)}</title></rect>`,
        `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + BAR_H - 3}" font-size="11">${formatMs(ms)}</text>`,
      );
      y += BAR_H + GAP;
    }
    y += GROUP_GAP;
  }
  const axisY = y;
  const ticks: string[] = [];
  for (let d = lo; d <= hi; d++) {
    const tx = x(10 ** d).toFixed(1);
    ticks.push(
      `<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${axisY}" stroke="#ddd"/>`,
      `<text x="${tx}" y="${axisY + 14}" text-anchor="middle" font-size="11">${formatMs(10 ** d)}</text>`,
    );
  }
  const legend = FRAMEWORKS.map((f, i) => {
    const lx = LABEL_W + i * 150;
    const version = results.versions[f] ?? '';
    return `<rect x="${lx}" y="30" width="12" height="12" fill="${COLORS[f]}"/><text x="${lx + 16}" y="40" font-size="12">${escapeXml(`${f} ${version}`)}</text>`;
  });
  const width = LABEL_W + PLOT_W + 80;
  const height = axisY + 40;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="13" font-weight="bold">${escapeXml(`Median wall time per run, log scale (${results.date.slice(0, 10)}, load avg ${results.machine.load.median.toFixed(1)} on ${results.machine.cpus} cores)`)}</text>`,
    ...legend,
    ...ticks,
    ...out,
    `<text x="${LABEL_W}" y="${height - 8}" font-size="10" fill="#555">${escapeXml(results.command)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
