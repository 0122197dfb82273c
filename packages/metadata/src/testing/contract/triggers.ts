import type { FiringRecord, TriggerRecord } from '@strata/core/plugin';
import { expect, it } from 'vitest';
import { runRecord } from '../fixtures.js';
import { type ContractContext, expectStrataError } from './context.js';

export function triggerRecord(name: string, overrides: Partial<TriggerRecord> = {}): TriggerRecord {
  return {
    name,
    kind: 'schedule',
    target: { module: 'pipelines/train.ts', pipeline: 'train', params: { lr: 0.1 } },
    condition: { kind: 'schedule', cron: '0 3 * * *', timezone: 'UTC', jitterMs: 0, catchUp: 'one' },
    overlap: 'skip',
    paused: false,
    firedBy: 'agent',
    cursor: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    ...overrides,
  };
}

export function firingRecord(
  id: string,
  trigger: string,
  dedupeKey: string,
  overrides: Partial<FiringRecord> = {},
): FiringRecord {
  return {
    id,
    trigger,
    dedupeKey,
    status: 'claimed',
    reason: 'slot 03:00',
    evidence: { slot: dedupeKey },
    runId: `run-${id}`,
    firedBy: 'agent-a',
    createdAt: 2_000,
    updatedAt: 2_000,
    error: null,
    ...overrides,
  };
}

export function triggersContract(ctx: ContractContext): void {
  it('creates, reads, lists by kind, pauses and deletes triggers', async () => {
    const nightly = triggerRecord('nightly');
    const onData = triggerRecord('on-data', {
      kind: 'new_data',
      condition: { kind: 'new_data', source: 'data/*.csv', param: 'data', pollMs: 5000 },
    });
    await ctx.db().createTrigger(nightly);
    await ctx.db().createTrigger(onData);
    expect(await ctx.db().getTrigger('nightly')).toEqual(nightly);
    expect(await ctx.db().getTrigger('ghost')).toBeUndefined();
    expect((await ctx.db().listTriggers()).map((t) => t.name)).toEqual(['nightly', 'on-data']);
    expect((await ctx.db().listTriggers({ kind: 'schedule' })).map((t) => t.name)).toEqual(['nightly']);
    expect((await ctx.db().listTriggers({ kind: 'trigger' })).map((t) => t.name)).toEqual(['on-data']);
    await ctx.db().setTriggerPaused('nightly', true);
    expect((await ctx.db().getTrigger('nightly'))?.paused).toBe(true);
    await ctx.db().setTriggerCursor('nightly', { lastSlot: 5 });
    expect((await ctx.db().getTrigger('nightly'))?.cursor).toEqual({ lastSlot: 5 });
    await expectStrataError(ctx.db().createTrigger(nightly), 'duplicate_name');
    await ctx.db().deleteTrigger('nightly');
    await expectStrataError(ctx.db().deleteTrigger('nightly'), 'unknown_trigger');
    await expectStrataError(ctx.db().setTriggerPaused('nightly', false), 'unknown_trigger');
  });

  it("keeps each schedule's due time beside its cursor: stamps carry it, dueBy reads only due rows", async () => {
    await ctx.db().createTrigger(triggerRecord('soon', { cursor: { lastSlot: 1, nextDue: 5_000 } }));
    await ctx.db().createTrigger(triggerRecord('ended', { cursor: { lastSlot: 1, nextDue: null } }));
    await ctx.db().createTrigger(
      triggerRecord('on-data', {
        kind: 'new_data',
        condition: { kind: 'new_data', source: 'data/*.csv', param: 'data', pollMs: 5000 },
        cursor: { digest: 'x' },
      }),
    );
    const dueAt = async () =>
      Object.fromEntries((await ctx.db().listTriggerStamps()).map((s) => [s.name, s.dueAt]));
    expect(await dueAt()).toEqual({ soon: 5_000, ended: Number.MAX_SAFE_INTEGER, 'on-data': null });
    const due = async (by: number) => (await ctx.db().listTriggers({ dueBy: by })).map((t) => t.name);
    expect(await due(4_999)).toEqual(['on-data']);
    expect(await due(5_000)).toEqual(['on-data', 'soon']);
    // Moving the cursor, by hand or with a firing, moves the due time with it.
    await ctx.db().setTriggerCursor('soon', { lastSlot: 5_000, nextDue: 9_000 });
    expect((await dueAt()).soon).toBe(9_000);
    await ctx.db().claimFiring({
      firing: firingRecord('f1', 'soon', 'slot-9'),
      cursor: { lastSlot: 9_000, nextDue: 12_000 },
    });
    expect((await dueAt()).soon).toBe(12_000);
    expect(await due(11_000)).toEqual(['on-data']);
  });

  it('fires once per dedupe key, moving the cursor in the same transaction', async () => {
    await ctx.db().createTrigger(triggerRecord('nightly'));
    const first = firingRecord('f1', 'nightly', 'slot-1');
    expect(await ctx.db().claimFiring({ firing: first, cursor: { lastSlot: 1 } })).toBe(true);
    // A second agent (or this one after a restart) evaluating the same slot is refused, changing nothing.
    const again = firingRecord('f2', 'nightly', 'slot-1', { firedBy: 'agent-b' });
    expect(await ctx.db().claimFiring({ firing: again, cursor: { lastSlot: 99 } })).toBe(false);
    expect((await ctx.db().getTrigger('nightly'))?.cursor).toEqual({ lastSlot: 1 });
    expect(await ctx.db().getFiring('f2')).toBeUndefined();
    expect(await ctx.db().getFiring('f1')).toEqual(first);

    await ctx.db().createRun(runRecord('run-f1', { status: 'completed' }), []);
    await ctx.db().updateFiring('f1', { status: 'started' });
    const [listed] = await ctx.db().listFirings({ trigger: 'nightly' });
    expect(listed).toMatchObject({ id: 'f1', status: 'started', runId: 'run-f1', runStatus: 'completed' });
    await expectStrataError(ctx.db().updateFiring('nope', { status: 'failed' }), 'unknown_firing');
  });

  it('lets concurrent claims of one slot through exactly once', async () => {
    await ctx.db().createTrigger(triggerRecord('nightly'));
    const other = await ctx.secondHandle();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? other : ctx.db()).claimFiring({
          firing: firingRecord(`f${i}`, 'nightly', 'slot-7', { firedBy: `agent-${i}` }),
          cursor: { lastSlot: 7 },
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await ctx.db().listFirings({ trigger: 'nightly' })).toHaveLength(1);
  });

  it('keeps firings when their trigger is deleted, newest first, filtered by status', async () => {
    await ctx.db().createTrigger(triggerRecord('t'));
    for (const [i, status] of (['started', 'skipped', 'failed'] as const).entries()) {
      await ctx.db().claimFiring({
        firing: firingRecord(`f${i}`, 't', `k${i}`, { status, createdAt: 10 + i, runId: null }),
        cursor: null,
      });
    }
    await ctx.db().deleteTrigger('t');
    expect((await ctx.db().listFirings({ trigger: 't' })).map((f) => f.id)).toEqual(['f2', 'f1', 'f0']);
    expect((await ctx.db().listFirings({ status: 'skipped' })).map((f) => f.id)).toEqual(['f1']);
    expect(await ctx.db().listFirings({ trigger: 't', limit: 1 })).toHaveLength(1);
  });

  it('grants a lease to one holder until it expires or is released', async () => {
    expect(await ctx.db().acquireLease('agent', 'a', 60_000)).toBe(true);
    expect(await ctx.db().acquireLease('agent', 'b', 60_000)).toBe(false);
    expect(await ctx.db().acquireLease('agent', 'a', 60_000)).toBe(true);
    expect((await ctx.db().leaseHolder('agent'))?.holder).toBe('a');
    await ctx.db().releaseLease('agent', 'b');
    expect((await ctx.db().leaseHolder('agent'))?.holder).toBe('a');
    await ctx.db().releaseLease('agent', 'a');
    expect(await ctx.db().acquireLease('agent', 'b', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    // b's lease expired: a takes over.
    expect(await ctx.db().acquireLease('agent', 'a', 60_000)).toBe(true);
    const other = await ctx.secondHandle();
    const race = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? other : ctx.db()).acquireLease('free', `h${i}`, 60_000)),
    );
    expect(race.filter(Boolean)).toHaveLength(1);
  });

  it('records agents and their heartbeats', async () => {
    const agent = {
      id: 'a1',
      host: 'box',
      pid: 42,
      version: '0.1.0',
      startedAt: 1,
      heartbeatAt: 1,
      stoppedAt: null,
      stats: { ticks: 0 },
    };
    await ctx.db().saveAgent(agent);
    await ctx.db().saveAgent({ ...agent, heartbeatAt: 9, stats: { ticks: 3 } });
    expect(await ctx.db().listAgents()).toEqual([{ ...agent, heartbeatAt: 9, stats: { ticks: 3 } }]);
  });

  it('merges serving windows, lists them by model and version, and prunes old ones', async () => {
    const key = { model: 'm', version: 1, windowStart: 60_000, kind: 'inputs' as const };
    const add = (n: number) =>
      ctx.db().mergeServingWindow(key, (prev) => ({
        count: (prev?.count ?? 0) + n,
        stats: { sum: ((prev?.stats as { sum: number } | null)?.sum ?? 0) + n },
      }));
    const other = await ctx.open(ctx.url());
    await Promise.all([add(1), add(2), add(3)]);
    await other.mergeServingWindow({ ...key, kind: 'feedback' }, () => ({ count: 1, stats: null }));
    await other.mergeServingWindow({ ...key, windowStart: 0 }, () => ({ count: 5, stats: null }));
    const windows = await ctx.db().servingWindows({ model: 'm', version: 1, kind: 'inputs' });
    expect(windows.map((w) => [w.windowStart, w.count])).toEqual([
      [0, 5],
      [60_000, 6],
    ]);
    expect(windows[1]!.stats).toEqual({ sum: 6 });
    expect(await ctx.db().servingWindows({ model: 'm', since: 60_000 })).toHaveLength(2);
    expect(await ctx.db().pruneServingWindows(60_000)).toBe(1);
    expect(await ctx.db().servingWindows({ model: 'm' })).toHaveLength(2);
  });
}
