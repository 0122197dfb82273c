import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from '@strata/core';
import type { FiringRecord, TriggerRecord } from '@strata/core/plugin';
import { openDatabase, type SqlStrataDatabase } from '@strata/metadata';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localSourceVersion } from '../triggers/local-source.js';
import { initialScheduleCursor } from '../triggers/schedule-cursor.js';
import { sourceLocation } from '../triggers/source-location.js';
import { Agent } from './agent.js';
import { SETTLE_MS } from './evaluate-new-data.js';
import type { RunLauncher } from './launcher.js';

/** Records launches and records each run as running, as `strata run` would. */
function recordingLauncher(db: SqlStrataDatabase) {
  const launched: { trigger: string; firing: FiringRecord }[] = [];
  const launcher: RunLauncher = {
    async launch(trigger, firing) {
      launched.push({ trigger: trigger.name, firing });
      await db.createRun(
        {
          id: firing.runId!,
          name: firing.runId!,
          pipelineName: trigger.target.pipeline,
          snapshotId: 's',
          status: 'running',
          stackName: 't',
          orchestrator: 'local',
          params: null,
          environment: null,
          createdAt: Date.now(),
          startedAt: Date.now(),
          endedAt: null,
          error: null,
          resumedFrom: null,
        },
        [],
      );
    },
  };
  return { launched, launcher };
}

const base = (name: string, overrides: Partial<TriggerRecord>): TriggerRecord => ({
  name,
  kind: 'schedule',
  target: { module: 'p.ts', pipeline: 'p', params: {} },
  condition: { kind: 'schedule', every: '1m', timezone: 'UTC', jitterMs: 0, catchUp: 'one' },
  overlap: 'allow',
  paused: false,
  firedBy: 'agent',
  cursor: null,
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
});

describe('Agent', () => {
  let dir: string;
  let db: SqlStrataDatabase;
  let stack: Stack;
  const agents: Agent[] = [];
  const agent = (launcher: RunLauncher) => {
    const a = new Agent({ stack, launcher, log: () => {} });
    agents.push(a);
    return a;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-agent-'));
    db = await openDatabase(`sqlite:${join(dir, 'strata.db')}`);
    stack = {
      name: 't',
      projectRoot: dir,
      database: db,
      orchestrator: { flavor: 'local' },
    } as unknown as Stack;
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires a due slot once, however many agents evaluate it', async () => {
    const now = Date.now();
    await db.createTrigger(base('every-minute', { createdAt: now - 90_000, updatedAt: now - 90_000 }));
    const { launched, launcher } = recordingLauncher(db);
    const [a, b] = [agent(launcher), agent(launcher)];
    await Promise.all([a.tick(now), b.tick(now)]);
    await b.tick(now);
    await a.tick(now + 1);
    expect(launched).toHaveLength(1);
    const [firing] = await db.listFirings({ trigger: 'every-minute' });
    expect(firing).toMatchObject({
      status: 'started',
      runId: launched[0]!.firing.runId,
      runStatus: 'running',
    });
    expect(firing!.reason).toContain('every 1m');
  });

  it('keeps the next due time in the cursor: a fresh agent skips a schedule not yet due without its calendar', async () => {
    const now = Date.now();
    const created = now - 30_000;
    const condition = {
      kind: 'schedule' as const,
      every: '1m',
      timezone: 'UTC',
      jitterMs: 0,
      catchUp: 'one' as const,
    };
    // A cursor as createTrigger writes it, and a legacy one (no nextDue) that the agent fills in once.
    await db.createTrigger(
      base('stored', {
        condition,
        createdAt: created,
        cursor: { ...initialScheduleCursor('stored', condition, created) },
      }),
    );
    await db.createTrigger(base('legacy', { condition, createdAt: created, cursor: { lastSlot: created } }));
    expect((await db.getTrigger('stored'))?.cursor).toEqual({ lastSlot: created, nextDue: created + 60_000 });
    const { launched, launcher } = recordingLauncher(db);
    await agent(launcher).tick(now);
    expect(launched).toHaveLength(0);
    expect((await db.getTrigger('legacy'))?.cursor).toEqual({ lastSlot: created, nextDue: created + 60_000 });
    // A cursor claiming a later due time is trusted (it is a function of the stored condition).
    await db.setTriggerCursor('stored', { lastSlot: created, nextDue: now + 120_000 });
    await agent(launcher).tick(created + 61_000);
    expect(launched.map((l) => l.trigger)).toEqual(['legacy']);
    expect((await db.getTrigger('legacy'))?.cursor).toEqual({
      lastSlot: created + 60_000,
      nextDue: created + 120_000,
    });
  });

  it('reads only due rows: the store keeps each schedule due_at, a fresh agent parses a row once it is due', async () => {
    const now = Date.now();
    const condition = {
      kind: 'schedule' as const,
      every: '1m',
      timezone: 'UTC',
      jitterMs: 0,
      catchUp: 'one' as const,
    };
    for (let i = 0; i < 60; i++) {
      const created = now - 30_000 + i * 1000;
      await db.createTrigger(
        base(`s${i}`, {
          condition,
          createdAt: created,
          cursor: { ...initialScheduleCursor(`s${i}`, condition, created) },
        }),
      );
    }
    const stamps = await db.listTriggerStamps();
    expect(stamps.find((s) => s.name === 's0')?.dueAt).toBe(now + 30_000);
    expect(await db.listTriggers({ dueBy: now + 30_500 })).toHaveLength(1);
    const read: string[] = [];
    const getTrigger = db.getTrigger.bind(db);
    const listTriggers = db.listTriggers.bind(db);
    db.getTrigger = async (name) => {
      read.push(name);
      return getTrigger(name);
    };
    db.listTriggers = async (query) => {
      read.push(`list ${JSON.stringify(query)}`);
      return listTriggers(query);
    };
    const { launched, launcher } = recordingLauncher(db);
    const fresh = agent(launcher);
    await fresh.tick(now);
    expect(read).toEqual([]);
    expect(fresh.nextCheckAt(60_000)).toBeLessThanOrEqual(now + 30_000);
    // s0 and s1 come due: only their rows are read, they fire, and their due_at moves a minute on.
    await fresh.tick(now + 31_500);
    expect(read).toEqual(['s0', 's1']);
    expect(launched.map((l) => l.trigger)).toEqual(['s0', 's1']);
    expect((await db.listTriggerStamps()).find((s) => s.name === 's0')?.dueAt).toBe(now + 90_000);
    expect(fresh.stats.triggers).toBe(60);
  });

  it('after a restart starts the run a dead agent claimed, with its run id, and only once', async () => {
    const now = Date.now();
    await db.createTrigger(base('nightly', { createdAt: now, updatedAt: now }));
    const claimed: FiringRecord = {
      id: 'f-dead',
      trigger: 'nightly',
      dedupeKey: 'slot:x',
      status: 'claimed',
      reason: 'slot x',
      evidence: null,
      runId: 'r-chosen-at-claim',
      firedBy: 'agent-that-died',
      createdAt: now - 60_000,
      updatedAt: now - 60_000,
      error: null,
    };
    await db.claimFiring({ firing: claimed, cursor: { lastSlot: now } });
    const { launched, launcher } = recordingLauncher(db);
    const restarted = agent(launcher);
    await restarted.tick(now);
    await restarted.tick(now + 1);
    expect(launched.map((l) => l.firing.runId)).toEqual(['r-chosen-at-claim']);
    expect((await db.getFiring('f-dead'))?.status).toBe('started');
  });

  it('applies the overlap policy: skip records a skipped firing, queue starts it after the active run', async () => {
    const now = Date.now();
    const every = {
      kind: 'schedule' as const,
      every: '1m',
      timezone: 'UTC',
      jitterMs: 0,
      catchUp: 'all' as const,
    };
    await db.createTrigger(base('s', { overlap: 'skip', condition: every, createdAt: now - 150_000 }));
    await db.createTrigger(base('q', { overlap: 'queue', condition: every, createdAt: now - 150_000 }));
    const { launched, launcher } = recordingLauncher(db);
    await agent(launcher).tick(now);
    // Both slots fire in the same millisecond: compare statuses by slot, not by listing order.
    const bySlot = async (t: string) =>
      (await db.listFirings({ trigger: t }))
        .sort((a, b) => a.dedupeKey.localeCompare(b.dedupeKey))
        .map((f) => f.status);
    expect(await bySlot('s')).toEqual(['started', 'skipped']);
    expect(await bySlot('q')).toEqual(['started', 'queued']);
    expect(launched).toHaveLength(2);
    const first = launched.find((l) => l.trigger === 'q')!.firing.runId!;
    await db.updateRun(first, { status: 'completed', endedAt: now });
    // Left-over and queued firings are looked at every third tick.
    for (let i = 1; i <= 3; i++) await agents[0]!.tick(now + i);
    expect(await bySlot('q')).toEqual(['started', 'started']);
    expect(launched).toHaveLength(3);
  });

  it('fires new data once per version, after it settles, passing what was added', async () => {
    mkdirSync(join(dir, 'in'));
    const location = sourceLocation('in/*.csv');
    const cursor = await localSourceVersion(location, dir);
    await db.createTrigger(
      base('on-data', {
        kind: 'new_data',
        condition: { kind: 'new_data', source: 'in/*.csv', param: 'data', pollMs: 60_000 },
        cursor: cursor as never,
      }),
    );
    const { launched, launcher } = recordingLauncher(db);
    const a = agent(launcher);
    await a.tick(Date.now());
    expect(launched).toHaveLength(0);
    writeFileSync(join(dir, 'in', 'a.csv'), 'x\n1\n');
    writeFileSync(join(dir, 'in', 'ignored.txt'), 'not matched');
    a.poke('on-data');
    await a.tick(Date.now());
    expect(launched).toHaveLength(0); // settling
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    a.poke('on-data');
    await a.tick(Date.now());
    expect(launched).toHaveLength(1);
    expect(launched[0]!.firing.evidence).toMatchObject({ uri: 'in/*.csv', added: ['a.csv'], count: 1 });
    // Another agent looking at the same version fires nothing.
    const b = agent(launcher);
    await db.setTriggerCursor('on-data', cursor as never);
    await b.tick(Date.now());
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    b.poke('on-data');
    await b.tick(Date.now());
    expect(launched).toHaveLength(1);
  });
});
