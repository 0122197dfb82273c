import { describe, expect, it } from 'vitest';
import type { StepStatus } from '../metadata/records.js';
import type { SnapshotNode } from '../pipeline/snapshot.js';
import { IncrementalScheduler, schedule } from './scheduler.js';

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

describe('IncrementalScheduler', () => {
  /** A small deterministic pseudo-random generator, so a failure is reproducible from its seed. */
  function random(seed: number) {
    let x = seed;
    return () => {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      return x / 2 ** 31;
    };
  }

  it('decides exactly what schedule() decides, turn after turn, on random graphs and outcomes', () => {
    let turns = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rand = random(seed);
      const size = 2 + Math.floor(rand() * 30);
      // Each node depends on a few earlier ones (snapshots list nodes in dependency order).
      const graph = Array.from({ length: size }, (_, i) => {
        const deps = Array.from({ length: i }, (_, j) => `n${j}`).filter(() => rand() < 2 / (i + 1));
        return node(`n${i}`, deps);
      });
      const failFast = rand() < 0.5;
      const status = new Map<string, StepStatus>();
      const scheduler = new IncrementalScheduler(graph, { failFast });
      let changed: string[] = [];
      for (;;) {
        const expected = schedule(graph, status, { failFast });
        const actual = scheduler.next(status, changed);
        expect({ seed, ready: actual.ready, skip: actual.skip }).toEqual({
          seed,
          ready: expected.ready,
          skip: expected.skip,
        });
        turns++;
        changed = [];
        for (const { node: id } of actual.skip) {
          status.set(id, 'skipped');
          changed.push(id);
        }
        for (const id of actual.ready) status.set(id, 'running');
        const running = [...status].filter(([, s]) => s === 'running').map(([id]) => id);
        if (running.length === 0) break;
        // One or two running nodes finish, mostly successfully.
        for (const id of running.filter((_, i) => i === 0 || rand() < 0.3)) {
          const r = rand();
          status.set(id, r < 0.08 ? 'failed' : r < 0.12 ? 'cancelled' : r < 0.4 ? 'cached' : 'completed');
          changed.push(id);
        }
      }
      expect([...status.values()].some((s) => s === 'pending' || s === 'running')).toBe(false);
    }
    expect(turns).toBeGreaterThan(1000);
  });
});
