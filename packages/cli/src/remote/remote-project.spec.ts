import type { StrataClient } from '@strata/server/client';
import { describe, expect, it } from 'vitest';
import { remoteProject } from './remote-project.js';

/** A server with `runs` runs and `lines` log lines in each of two steps, paged as the API pages them. */
function fakeServer(runs: number, lines: number) {
  const calls: string[] = [];
  const allRuns = Array.from({ length: runs }, (_, i) => ({ id: `r-${String(i).padStart(5, '0')}` }));
  const log = (step: string) =>
    Array.from({ length: lines }, (_, i) => ({
      stepRunId: `r-1/${step}`,
      seq: i,
      at: i * 2 + (step === 'b' ? 1 : 0),
    }));
  const api = {
    runs: async (q: { limit: number; cursor?: string }) => {
      calls.push(`runs ${q.limit} ${q.cursor ?? '-'}`);
      expect(q.limit).toBeLessThanOrEqual(200);
      const from = Number(q.cursor ?? 0);
      const to = from + q.limit;
      return { items: allRuns.slice(from, to), ...(to < runs ? { nextCursor: String(to) } : {}) };
    },
    steps: async () => [{ id: 'r-1/a' }, { id: 'r-1/b' }],
    logs: async (_run: string, q: { step: string; afterSeq?: number; limit: number }) => {
      expect(q.limit).toBeLessThanOrEqual(5000);
      const items = log(q.step)
        .filter((l) => l.seq > (q.afterSeq ?? -1))
        .slice(0, q.limit);
      const last = items.at(-1);
      return { items, ...(last && items.length === q.limit ? { nextAfterSeq: last.seq } : {}) };
    },
  };
  return { calls, project: remoteProject('/p', api as unknown as StrataClient) };
}

describe('remoteProject: a connected CLI reads as much as the store would', () => {
  it('runs list -n 1000 pages through the API (200 a page) instead of stopping at 200', async () => {
    const { calls, project } = fakeServer(1200, 0);
    const runs = await project.database.listRuns({ limit: 1000 });
    expect(runs).toHaveLength(1000);
    expect(runs.at(-1)!.id).toBe('r-00999');
    expect(calls).toEqual(['runs 200 -', 'runs 200 200', 'runs 200 400', 'runs 200 600', 'runs 200 800']);
    expect(await project.database.listRuns({ limit: 50 })).toHaveLength(50);
    expect((await fakeServer(30, 0).project.database.listRuns({ limit: 1000 })).length).toBe(30);
  });

  it("runs logs reads every line of every step, in the store's order, not the first 1000", async () => {
    const { project } = fakeServer(1, 12_000);
    const lines = await project.database.readLogs({ runId: 'r-1' });
    expect(lines).toHaveLength(24_000);
    expect(lines.slice(0, 3).map((l) => `${l.stepRunId}:${l.seq}`)).toEqual([
      'r-1/a:0',
      'r-1/b:0',
      'r-1/a:1',
    ]);
    expect(await project.database.readLogs({ stepRunId: 'r-1/b', afterSeq: 9_999 })).toHaveLength(2_000);
    expect(await project.database.readLogs({ stepRunId: 'r-1/b', limit: 7 })).toHaveLength(7);
  });
});
