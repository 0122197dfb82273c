import { createRoute, z } from '@hono/zod-openapi';
import type { FiringWithRun, TriggerRecord } from '@strata/core/plugin';
import { nextFiring } from '@strata/project';
import type { App } from '../http/app-type.js';
import { errors, json } from '../http/route-kit.js';
import { type Firing, Trigger, TriggerListQuery } from '../schemas/triggers.js';

const listSchedules = createRoute({
  method: 'get',
  path: '/schedules',
  tags: ['triggers'],
  summary: 'schedules (`strata schedule`) with their next firing, last firing and recent firings',
  request: { query: TriggerListQuery },
  responses: { 200: json(z.array(Trigger), 'schedules by name'), ...errors },
});

const listTriggers = createRoute({
  method: 'get',
  path: '/triggers',
  tags: ['triggers'],
  summary:
    'event triggers (`strata trigger`: new data, model health, run completion, code change) with their firings',
  request: { query: TriggerListQuery },
  responses: { 200: json(z.array(Trigger), 'triggers by name'), ...errors },
});

function firingOf(f: FiringWithRun): Firing {
  return {
    id: f.id,
    trigger: f.trigger,
    status: f.status,
    reason: f.reason,
    evidence: f.evidence,
    runId: f.runId,
    runStatus: f.runStatus,
    firedBy: f.firedBy,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    error: f.error,
  };
}

function triggerOf(
  record: TriggerRecord,
  firings: readonly FiringWithRun[],
  shown: number,
  now: number,
): Trigger {
  const newest = firings[0];
  return {
    name: record.name,
    kind: record.kind,
    pipeline: record.target.pipeline,
    target: record.target,
    condition: record.condition,
    overlap: record.overlap,
    paused: record.paused,
    firedBy: record.firedBy,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    nextFiring: nextFiring(record, now),
    lastFiring: newest ? firingOf(newest) : null,
    firings: firings.slice(0, shown).map(firingOf),
  };
}

/** Read-only: creating, pausing and firing stay with `strata schedule` / `strata trigger` and the agents. */
export function registerTriggerRoutes(app: App): void {
  for (const [route, kind] of [
    [listSchedules, 'schedule'],
    [listTriggers, 'trigger'],
  ] as const) {
    app.openapi(route, async (c) => {
      const { firings: shown } = c.req.valid('query');
      const db = c.var.deps.database;
      const records = (await db.listTriggers({ kind })).sort((a, b) => a.name.localeCompare(b.name));
      const now = Date.now();
      const rows = await Promise.all(
        records.map(async (r) =>
          triggerOf(r, await db.listFirings({ trigger: r.name, limit: Math.max(1, shown) }), shown, now),
        ),
      );
      return c.json(rows, 200);
    });
  }
}
