import { StrataError } from '../../errors/strata-error.js';
import { checkName } from '../../metadata/names.js';
import type { JsonValue } from '../../metadata/records.js';
import type { TriggerQuery, TriggerStamp, TriggerStore } from '../../metadata/trigger-store.js';
import { triggerDueAt } from '../../triggers/trigger-due.js';
import type {
  AgentRecord,
  FiringClaim,
  FiringQuery,
  FiringRecord,
  FiringStatus,
  FiringWithRun,
  ServingWindowRecord,
  TriggerRecord,
} from '../../triggers/trigger-records.js';
import { triggerSchemas } from '../../triggers/trigger-spec.js';
import { json, key, type MemoryTables, orderBy } from './tables.js';

type WindowKey = Pick<ServingWindowRecord, 'model' | 'version' | 'windowStart' | 'kind'>;

function unknownTrigger(name: string): StrataError {
  return new StrataError(`no schedule or trigger named "${name}"`, {
    code: 'unknown_trigger',
    field: 'name',
    value: name,
    fix: 'list the schedules with `strata schedule list`',
  });
}

function copyTrigger(t: TriggerRecord): TriggerRecord {
  return {
    ...t,
    target: triggerSchemas().triggerTarget.parse(json(t.target as unknown as JsonValue)),
    condition: triggerSchemas().triggerCondition.parse(json(t.condition as unknown as JsonValue)),
    cursor: json(t.cursor),
  };
}

function copyFiring(f: FiringRecord): FiringRecord {
  return { ...f, evidence: json(f.evidence) };
}

const windowKey = (k: WindowKey) => key(k.model, k.version, k.windowStart, k.kind);

/** Schedules, triggers, firings, leases, agents and serving windows of the in-memory database. */
export class MemoryTriggerStore implements TriggerStore {
  constructor(private readonly t: MemoryTables) {}

  async createTrigger(trigger: TriggerRecord): Promise<void> {
    checkName('name', trigger.name);
    const row = copyTrigger(trigger);
    if (this.t.triggers.has(trigger.name)) {
      throw new StrataError(`a schedule or trigger named "${trigger.name}" already exists`, {
        code: 'duplicate_name',
        field: 'name',
        value: trigger.name,
        fix: `choose another --name, or delete the old one first (\`strata ${trigger.kind === 'schedule' ? 'schedule' : 'trigger'} delete ${trigger.name}\`)`,
      });
    }
    this.t.triggers.set(trigger.name, row);
  }

  async getTrigger(name: string): Promise<TriggerRecord | undefined> {
    const row = this.t.triggers.get(name);
    return row && copyTrigger(row);
  }

  async listTriggers(query: TriggerQuery = {}): Promise<TriggerRecord[]> {
    const due = (t: TriggerRecord) => {
      const at = triggerDueAt(t.kind, t.cursor);
      return query.dueBy === undefined || at === null || at <= query.dueBy;
    };
    return [...this.t.triggers.values()]
      .filter((t) => query.kind === undefined || (query.kind === 'schedule') === (t.kind === 'schedule'))
      .filter(due)
      .sort(orderBy((t) => t.name))
      .map(copyTrigger);
  }

  async listTriggerStamps(): Promise<TriggerStamp[]> {
    return [...this.t.triggers.values()]
      .sort(orderBy((t) => t.name))
      .map((t) => ({ name: t.name, updatedAt: t.updatedAt, dueAt: triggerDueAt(t.kind, t.cursor) }));
  }

  async setTriggerPaused(name: string, paused: boolean): Promise<void> {
    this.#update(name, { paused });
  }

  async setTriggerCursor(name: string, cursor: JsonValue): Promise<void> {
    this.#update(name, { cursor: json(cursor) });
  }

  /** Deletes the trigger; its firings stay (history outlives the trigger). */
  async deleteTrigger(name: string): Promise<void> {
    if (!this.t.triggers.delete(name)) throw unknownTrigger(name);
  }

  #update(name: string, set: Partial<Pick<TriggerRecord, 'paused' | 'cursor'>>): void {
    const found = this.t.triggers.get(name);
    if (!found) throw unknownTrigger(name);
    this.t.triggers.set(name, { ...found, ...set, updatedAt: Date.now() });
  }

  async claimFiring(claim: FiringClaim): Promise<boolean> {
    const f = claim.firing;
    const taken = [...this.t.firings.values()].some(
      (other) => other.id === f.id || (other.trigger === f.trigger && other.dedupeKey === f.dedupeKey),
    );
    if (taken) return false;
    this.t.firings.set(f.id, copyFiring(f));
    const trigger = this.t.triggers.get(f.trigger);
    if (trigger) {
      this.t.triggers.set(f.trigger, { ...trigger, cursor: json(claim.cursor), updatedAt: f.createdAt });
    }
    return true;
  }

  async updateFiring(
    id: string,
    patch: { status: FiringStatus; runId?: string | null; error?: string | null },
  ): Promise<void> {
    const found = this.t.firings.get(id);
    if (!found) {
      throw new StrataError(`no firing "${id}"`, {
        code: 'unknown_firing',
        field: 'firing',
        value: id,
        fix: "pass the id of a firing the trigger's history lists",
      });
    }
    this.t.firings.set(id, {
      ...found,
      status: patch.status,
      updatedAt: Date.now(),
      ...(patch.runId === undefined ? {} : { runId: patch.runId }),
      ...(patch.error === undefined ? {} : { error: patch.error }),
    });
  }

  async getFiring(id: string): Promise<FiringRecord | undefined> {
    const f = this.t.firings.get(id);
    return f && copyFiring(f);
  }

  async listFirings(query: FiringQuery = {}): Promise<FiringWithRun[]> {
    return [...this.t.firings.values()]
      .filter(
        (f) =>
          (query.trigger === undefined || f.trigger === query.trigger) &&
          (query.status === undefined || f.status === query.status),
      )
      .sort(orderBy([(f) => f.createdAt, 'desc'], [(f) => f.id, 'desc']))
      .slice(0, query.limit ?? 100)
      .map((f) => ({
        ...copyFiring(f),
        runStatus: (f.runId === null ? undefined : this.t.runs.get(f.runId)?.status) ?? null,
      }));
  }

  /** Free, expired, or already held by `holder`: then `holder` has it until now + ttlMs. */
  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const lease = this.t.leases.get(name);
    if (lease && lease.holder !== holder && lease.expiresAt >= now) return false;
    this.t.leases.set(name, { holder, expiresAt: now + ttlMs });
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.t.leases.get(name)?.holder === holder) this.t.leases.delete(name);
  }

  async leaseHolder(name: string): Promise<{ holder: string; expiresAt: number } | undefined> {
    const lease = this.t.leases.get(name);
    return lease && { ...lease };
  }

  /** Inserts the agent, or updates its heartbeat, stop time and stats (the rest is fixed at start). */
  async saveAgent(agent: AgentRecord): Promise<void> {
    const found = this.t.agents.get(agent.id);
    const stats = json(agent.stats);
    this.t.agents.set(
      agent.id,
      found
        ? { ...found, heartbeatAt: agent.heartbeatAt, stoppedAt: agent.stoppedAt, stats }
        : { ...agent, stats },
    );
  }

  async listAgents(): Promise<AgentRecord[]> {
    return [...this.t.agents.values()]
      .sort(orderBy([(a) => a.startedAt, 'desc']))
      .map((a) => ({ ...a, stats: json(a.stats) }));
  }

  async mergeServingWindow(
    k: WindowKey,
    merge: (previous: ServingWindowRecord | undefined) => Pick<ServingWindowRecord, 'count' | 'stats'>,
  ): Promise<void> {
    const previous = this.t.servingWindows.get(windowKey(k));
    const next = merge(previous && { ...previous, stats: json(previous.stats) });
    this.t.servingWindows.set(windowKey(k), {
      model: k.model,
      version: k.version,
      windowStart: k.windowStart,
      kind: k.kind,
      count: next.count,
      stats: json(next.stats),
      updatedAt: Date.now(),
    });
  }

  async servingWindows(query: {
    model: string;
    version?: number;
    kind?: ServingWindowRecord['kind'];
    since?: number;
  }): Promise<ServingWindowRecord[]> {
    return [...this.t.servingWindows.values()]
      .filter(
        (w) =>
          w.model === query.model &&
          (query.version === undefined || w.version === query.version) &&
          (query.kind === undefined || w.kind === query.kind) &&
          (query.since === undefined || w.windowStart >= query.since),
      )
      .sort(
        orderBy(
          (w) => w.windowStart,
          (w) => w.version,
          (w) => w.kind,
        ),
      )
      .map((w) => ({ ...w, stats: json(w.stats) }));
  }

  async pruneServingWindows(before: number): Promise<number> {
    let pruned = 0;
    for (const [k, w] of this.t.servingWindows) {
      if (w.windowStart < before) {
        this.t.servingWindows.delete(k);
        pruned += 1;
      }
    }
    return pruned;
  }
}
