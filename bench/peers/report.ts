/** The markdown table for docs/benchmarks.md, generated from the results. */
import type { PeerResults } from './results.js';
import { meets, PER_STEP_TARGETS } from './stats.js';
import { formatMs } from './svg.js';

const x = (n: number) => (n >= 10 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(2));

export function markdownTable(results: PeerResults): string {
  const header =
    '| case | Strata median (runs) | ZenML median (runs) | Metaflow median (runs) | Strata per step | ZenML per step | Metaflow per step | ZenML ÷ Strata (wall / CPU) | Metaflow ÷ Strata (wall / CPU) | target |';
  const lines = [header, '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const c of results.cases) {
    const cell = (f: 'strata' | 'zenml' | 'metaflow') => {
      const s = c.summary[f];
      return s ? `${formatMs(s.wallMs)} (${s.runs})` : '-';
    };
    const perStep = (f: 'strata' | 'zenml' | 'metaflow') => {
      const s = c.summary[f];
      return s?.wallMsPerStep != null ? `${s.wallMsPerStep.toFixed(0)} ms × ${c.steps[f]}` : '-';
    };
    const ratio = (p: 'zenml' | 'metaflow') => {
      const a = c.advantage[p];
      return a ? `**${x(a.wall)}×** / ${x(a.cpu)}×` : '-';
    };
    const target = (['zenml', 'metaflow'] as const)
      .flatMap((p) => {
        const t = c.targets[p];
        return t ? [`${p} ≥ ${t.times}×: ${t.met ? 'met' : '**missed**'}`] : [];
      })
      .join('; ');
    // (a) and (b) carry the per-step targets end to end (fixed start-up cost included), for reference.
    const perStepCase = c.id === 'chain' || c.id === 'fanout';
    lines.push(
      `| ${c.title} | ${cell('strata')} | ${cell('zenml')} | ${cell('metaflow')} | ${perStep('strata')} | ${perStep('zenml')} | ${perStep('metaflow')} | ${ratio('zenml')} | ${ratio('metaflow')} | ${target ? `${perStepCase ? 'end to end: ' : ''}${target}` : '-'} |`,
    );
  }
  const m = results.marginalMsPerStep;
  if (m.strata !== undefined) {
    const s = m.strata;
    // A marginal cost at or below zero is lost in the noise of a loaded machine: no ratio then.
    const ratio = (p: 'zenml' | 'metaflow') => {
      const q = m[p];
      if (q === undefined) return '-';
      return `${s.wall > 0 ? `**${x(q.wall / s.wall)}×**` : 'n/a'} / ${s.cpu > 0 ? `${x(q.cpu / s.cpu)}×` : 'n/a'}`;
    };
    const ms = (f: 'strata' | 'zenml' | 'metaflow') => {
      const v = m[f];
      if (v === undefined) return '-';
      const wall = v.wall > 0 ? `${v.wall.toFixed(1)} ms` : 'below noise';
      return `${wall} (CPU ${v.cpu.toFixed(1)} ms)`;
    };
    // The per-step overhead targets are judged here, on CPU (see perStepTargets in main.ts).
    const judged = (['zenml', 'metaflow'] as const)
      .flatMap((p) => {
        const q = m[p];
        if (q === undefined) return [];
        const met = s.cpu > 0 && meets(q.cpu / s.cpu, PER_STEP_TARGETS[p]);
        return [`${p} ≥ ${PER_STEP_TARGETS[p]}× (CPU): ${met ? 'met' : '**missed**'}`];
      })
      .join('; ');
    const wide = results.cases.some((c) => c.id === 'fanout_wide' && c.summary.strata);
    lines.push(
      `| **per-step overhead**: marginal cost of one more step, ((b) − (a)) / extra steps${wide ? "; Strata: ((b') − (b)) / 900" : ''} | | | | ${ms('strata')} | ${ms('zenml')} | ${ms('metaflow')} | ${ratio('zenml')} | ${ratio('metaflow')} | ${judged || '-'} |`,
    );
  }
  return lines.join('\n');
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`; unchanged if absent. */
export function replaceBetween(doc: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) return doc;
  return `${doc.slice(0, i + start.length)}\n${body}\n${doc.slice(j)}`;
}
