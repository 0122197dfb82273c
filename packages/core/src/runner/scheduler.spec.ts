import { describe, expect, it } from 'vitest';
import type { StepStatus } from '../metadata/records.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import { schedule } from './scheduler.js';

function node(id: string, deps: string[] = [], extra: Partial<SnapshotNode> = {}): SnapshotNode {
  return {
    id,
    step: id,
    codeHash: 'h',
    params: {},
    inputs: Object.fromEntries(deps.map((d) => [`from_${d}`, { node: d, output: 'out', collect: false }])),
    outputs: { out: { kind: 'json' } },
    after: [],
    cache: { enabled: true },
    ...extra,
  };
}

// a -> b -> d ; a -> c ; e independent
const nodes = [node('a'), node('b', ['a']), node('c', ['a']), node('d', ['b']), node('e')];
const states = (entries: Record<string, StepStatus>) => new Map(Object.entries(entries));

describe('schedule', () => {
  it('starts every node without dependencies first', () => {
    const d = schedule(nodes, states({}), { failFast: true });
    expect(d.ready).toEqual(['a', 'e']);
    expect(d.skip).toEqual([]);
    expect(d.finished).toBe(false);
  });

  it('starts a node once all of its dependencies succeeded (completed or cached)', () => {
    const d = schedule(nodes, states({ a: 'cached', e: 'running' }), { failFast: true });
    expect(d.ready).toEqual(['b', 'c']);
  });

  it('counts `after` and condition sources as dependencies', () => {
    const graph = [
      node('x'),
      node('y', [], { after: ['x'] }),
      node('z', [], { condition: { node: 'x', output: 'out', predicate: 'p' } }),
    ];
    expect(schedule(graph, states({}), { failFast: true }).ready).toEqual(['x']);
    expect(schedule(graph, states({ x: 'completed' }), { failFast: true }).ready).toEqual(['y', 'z']);
  });

  it('skips descendants of a failed node transitively, naming the blocker', () => {
    const d = schedule(nodes, states({ a: 'completed', b: 'failed', c: 'running', e: 'running' }), {
      failFast: false,
    });
    expect(d.skip).toEqual([{ node: 'd', reason: 'upstream step "b" did not succeed' }]);
    expect(d.failed).toBe(true);
    const chain = [node('p'), node('q', ['p']), node('r', ['q'])];
    expect(schedule(chain, states({ p: 'skipped' }), { failFast: false }).skip.map((s) => s.node)).toEqual([
      'q',
      'r',
    ]);
  });

  it('fail-fast skips every pending node after a failure; continue lets independent ones start', () => {
    const failed = states({ a: 'failed' });
    const fast = schedule(nodes, failed, { failFast: true });
    expect(fast.ready).toEqual([]);
    expect(fast.skip.find((s) => s.node === 'e')?.reason).toBe('run stopped after a failure (fail-fast)');
    const cont = schedule(nodes, failed, { failFast: false });
    expect(cont.ready).toEqual(['e']);
    expect(cont.skip.map((s) => s.node)).toEqual(['b', 'c', 'd']);
  });

  it('is finished when nothing is pending or running', () => {
    const done = states({ a: 'completed', b: 'completed', c: 'cached', d: 'completed', e: 'skipped' });
    expect(schedule(nodes, done, { failFast: true }).finished).toBe(true);
    expect(
      schedule(nodes, states({ ...Object.fromEntries(done), d: 'running' }), { failFast: true }).finished,
    ).toBe(false);
  });
});
