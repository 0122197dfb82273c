import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type JsonValue, STRATA_VERSION, type Stack, sendAlert } from '@strata/core';
import type { FiringRecord, TriggerRecord, TriggerStamp } from '@strata/core/plugin';
import { processOwner, RUN_ALERTED_KEY } from '@strata/core/plugin';
import { evaluateCodeChange } from './evaluate-code-change.js';
import { evaluateModelHealth } from './evaluate-model-health.js';
import { evaluateNewData } from './evaluate-new-data.js';
import { evaluateRunCompletion } from './evaluate-run-completion.js';
import { evaluateSchedule } from './evaluate-schedule.js';
import type { Evaluator } from './evaluation.js';
import { activeRunOf, fire, start } from './fire.js';
import type { RunLauncher } from './launcher.js';
import { pidNamespace } from './pid-namespace.js';
import { SourceWatch } from './source-watch.js';

export interface AgentOptions {
  readonly stack: Stack;
  readonly launcher: RunLauncher;
  /** How often the loop wakes when nothing is due (a watched folder wakes it at once). Default 1000. */
  readonly tickMs?: number;
  /** The evaluator lease lasts this long without renewal; a standby agent takes over after it. Default 15 s. */
  readonly leaseMs?: number;
  readonly graceMs?: number;
  readonly log?: (line: string) => void;
  /**
   * Which stored triggers this evaluator fires. Default: those fired by agents (`firedBy: 'agent'`);
   * Temporal's trigger workflow passes its own (`temporal`, for its stack).
   */
  readonly accepts?: (trigger: TriggerRecord) => boolean;
  /** Called when a watched folder changed (after the trigger was made due): wakes an outside loop. */
  readonly onPoke?: (trigger: string) => void;
}

const evaluators: Record<TriggerRecord['kind'], Evaluator> = {
  schedule: evaluateSchedule,
  new_data: evaluateNewData,
  run_completion: evaluateRunCompletion,
  code_change: evaluateCodeChange,
  model_health: evaluateModelHealth,
};

export const EVALUATOR_LEASE = 'agent:evaluator';

interface Cached {
  updatedAt: number;
  nextCheck: number;
  memo: Map<string, unknown>;
}

/**
 * `strata agent`: fires schedules and triggers for stacks whose orchestrator has no scheduler of its
 * own. Several agents may share one PostgreSQL store: one holds the evaluator lease and evaluates, the
 * others stand by and take over when its lease expires. Whoever evaluates, a firing is claimed in the
 * store under a unique (trigger, dedupe key), so it happens once; its run id is chosen at claim time, so
 * a restarted agent starts the claimed run, never a second one.
 */
export class Agent {
  readonly id: string;
  readonly #options: AgentOptions;
  readonly #cache = new Map<string, Cached>();
  /** The trigger rows as last read; only rows whose updatedAt changed are read (and parsed) again. */
  readonly #rows = new Map<string, TriggerRecord>();
  /**
   * Rows not read because they are not due (their stamp's due_at is later): name -> that stamp. Read
   * when due or changed; a fresh agent over 1,000 schedules parses only the few that are due.
   */
  readonly #deferred = new Map<string, TriggerStamp>();
  #resumeEvery = 0;
  readonly #watch: SourceWatch;
  readonly #startedAt = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #stopped = false;
  #leader = false;
  #loop: Promise<void> | undefined;
  readonly stats = { ticks: 0, fired: 0, lastTickMs: 0, errors: 0, triggers: 0, leader: false };

  constructor(options: AgentOptions) {
    this.#options = options;
    this.id = `agent-${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
    this.#watch = new SourceWatch(options.stack.projectRoot, (name) => this.poke(name));
  }

  get stack(): Stack {
    return this.#options.stack;
  }

  start(): this {
    this.#loop = this.#run();
    return this;
  }

  /** Makes trigger `name` due now and wakes the loop (a watched folder changed). */
  poke(name: string): void {
    const cached = this.#cache.get(name);
    if (cached) cached.nextCheck = 0;
    this.#wake?.();
    this.#options.onPoke?.(name);
  }

  /** When a trigger next needs looking at (epoch ms), at most `tickMs` from now: for an outside loop. */
  nextCheckAt(tickMs = this.#options.tickMs ?? 1000): number {
    return Date.now() + this.#delay(tickMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
    this.#watch.close();
    const db = this.stack.database;
    await db.releaseLease(EVALUATOR_LEASE, this.id).catch(() => undefined);
    await db.saveAgent(this.#record(Date.now())).catch(() => undefined);
  }

  async #run(): Promise<void> {
    const tickMs = this.#options.tickMs ?? 1000;
    let lastBeat = 0;
    while (!this.#stopped) {
      const began = performance.now();
      try {
        const now = Date.now();
        if (now - lastBeat >= Math.min(5000, (this.#options.leaseMs ?? 15_000) / 3)) {
          await this.#heartbeat(now);
          lastBeat = now;
        }
        if (this.#leader) await this.tick(now);
      } catch (error) {
        this.stats.errors++;
        this.#log(`agent: ${(error as Error).message}`);
      }
      this.stats.lastTickMs = performance.now() - began;
      this.stats.ticks++;
      if (this.#stopped) break;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, this.#delay(tickMs));
      });
      clearTimeout(this.#timer);
      this.#wake = undefined;
    }
  }

  #delay(tickMs: number): number {
    let next = Date.now() + tickMs;
    for (const c of this.#cache.values()) next = Math.min(next, c.nextCheck);
    for (const s of this.#deferred.values()) next = Math.min(next, s.dueAt ?? 0);
    return Math.max(10, next - Date.now());
  }

  async #heartbeat(now: number): Promise<void> {
    const db = this.stack.database;
    const leader = await db.acquireLease(EVALUATOR_LEASE, this.id, this.#options.leaseMs ?? 15_000);
    if (leader !== this.#leader) this.#log(`agent ${this.id}: ${leader ? 'evaluating' : 'standing by'}`);
    this.#leader = leader;
    this.stats.leader = leader;
    await db.saveAgent(this.#record(now));
  }

  #record(now: number) {
    const owner = processOwner();
    return {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      version: STRATA_VERSION,
      startedAt: this.#startedAt,
      heartbeatAt: now,
      stoppedAt: this.#stopped ? now : null,
      // The process's boot id and start time let `agent status` on the same machine tell a killed agent
      // at once (a reused pid from the original); kept in stats, which is JSON, to need no new column.
      stats: {
        ...this.stats,
        process: { bootId: owner.bootId, startTicks: owner.startTicks, pidNamespace: pidNamespace() },
      } as JsonValue,
    };
  }

  /** One evaluation of every trigger that is due; public for tests and the benchmark. */
  async tick(now = Date.now()): Promise<void> {
    const accepts = this.#options.accepts ?? ((t: TriggerRecord) => t.firedBy === 'agent');
    const triggers = (await this.#triggers(now)).filter(accepts);
    this.stats.triggers = triggers.length + this.#deferred.size;
    const present = new Set(triggers.map((t) => t.name));
    for (const name of this.#cache.keys()) if (!present.has(name)) this.#cache.delete(name);
    this.#watch.sync(triggers);
    // Left-over and manual firings: every few ticks is soon enough, and keeps an idle agent quiet.
    if (this.#resumeEvery++ % 3 === 0) await this.#resume(triggers);
    for (const trigger of triggers) {
      if (trigger.paused) continue;
      let cached = this.#cache.get(trigger.name);
      if (!cached || cached.updatedAt !== trigger.updatedAt) {
        cached = { updatedAt: trigger.updatedAt, nextCheck: 0, memo: cached?.memo ?? new Map() };
        this.#cache.set(trigger.name, cached);
      }
      if (cached.nextCheck > now) continue;
      try {
        await this.#evaluate(trigger, cached, now);
      } catch (error) {
        this.stats.errors++;
        cached.nextCheck = now + 5000;
        this.#log(`${trigger.name}: ${(error as Error).message}`);
      }
    }
  }

  /**
   * The rows to look at now: every stamp is read (name, updated_at, due_at: no JSON), and a row is read
   * and parsed only when it changed and is due; a row not due waits in #deferred until it is.
   */
  async #triggers(now: number): Promise<TriggerRecord[]> {
    const db = this.stack.database;
    const stamps = await db.listTriggerStamps();
    const stale: TriggerStamp[] = [];
    for (const s of stamps) {
      if (this.#rows.get(s.name)?.updatedAt === s.updatedAt) continue;
      if (s.dueAt !== null && s.dueAt > now) {
        this.#rows.delete(s.name);
        this.#deferred.set(s.name, s);
      } else stale.push(s);
    }
    if (stale.length > 50) {
      const wanted = new Set(stale.map((s) => s.name));
      for (const t of await db.listTriggers({ dueBy: now }))
        if (wanted.has(t.name)) this.#rows.set(t.name, t);
    } else {
      for (const s of stale) {
        const row = await db.getTrigger(s.name);
        if (row) this.#rows.set(s.name, row);
      }
    }
    for (const s of stale) this.#deferred.delete(s.name);
    const present = new Set(stamps.map((s) => s.name));
    for (const name of this.#rows.keys()) if (!present.has(name)) this.#rows.delete(name);
    for (const name of this.#deferred.keys()) if (!present.has(name)) this.#deferred.delete(name);
    return [...this.#rows.values()];
  }

  /** A trigger's row whether read or deferred (a claimed or queued firing of a schedule not due). */
  async #row(name: string): Promise<TriggerRecord | undefined> {
    if (!this.#deferred.has(name)) return undefined;
    const row = await this.stack.database.getTrigger(name);
    const accepts = this.#options.accepts ?? ((t: TriggerRecord) => t.firedBy === 'agent');
    return row && accepts(row) ? row : undefined;
  }

  async #evaluate(trigger: TriggerRecord, cached: Cached, now: number): Promise<void> {
    const db = this.stack.database;
    const evaluation = await evaluators[trigger.kind](trigger, {
      stack: this.stack,
      now,
      graceMs: this.#options.graceMs ?? 60_000,
      memo: cached.memo,
    });
    cached.nextCheck = evaluation.nextCheck;
    if (evaluation.cursor !== undefined) {
      await db.setTriggerCursor(trigger.name, evaluation.cursor);
      cached.updatedAt = -1;
    }
    for (const candidate of evaluation.candidates) {
      const firing = await fire(this.stack, trigger, candidate, this.id, this.#options.launcher);
      cached.updatedAt = -1;
      if (!firing) continue;
      this.stats.fired++;
      this.#log(`${trigger.name}: ${firing.status} ${firing.runId ?? ''} - ${firing.reason}`);
      await this.#alert(trigger, firing).catch(() => undefined);
    }
  }

  /**
   * Firings left claimed by an agent that died before starting their run, manual firings
   * (`strata schedule trigger`), and queued firings whose trigger has no active run any more.
   */
  async #resume(triggers: readonly TriggerRecord[]): Promise<void> {
    const db = this.stack.database;
    const byName = new Map(triggers.map((t) => [t.name, t]));
    const claimed = await db.listFirings({ status: 'claimed', limit: 100 });
    const stale = Date.now() - (this.#options.leaseMs ?? 15_000);
    for (const f of claimed) {
      const trigger = byName.get(f.trigger) ?? (await this.#row(f.trigger));
      // A claim younger than a lease may be another agent's start in progress (it launches right after).
      if (!trigger || (f.firedBy !== this.id && !f.firedBy.startsWith('manual') && f.updatedAt > stale))
        continue;
      if (f.firedBy === this.id) continue;
      this.#log(`${f.trigger}: starting firing ${f.id} left claimed by ${f.firedBy}`);
      await start(this.stack, trigger, f, this.#options.launcher);
    }
    const queued = await db.listFirings({ status: 'queued', limit: 100 });
    for (const f of queued.reverse()) {
      const trigger = byName.get(f.trigger) ?? (await this.#row(f.trigger));
      if (!trigger || (await activeRunOf(this.stack, f.trigger))) continue;
      await start(this.stack, trigger, f as FiringRecord, this.#options.launcher);
    }
  }

  async #alert(trigger: TriggerRecord, firing: FiringRecord): Promise<void> {
    const fields = {
      trigger: trigger.name,
      pipeline: trigger.target.pipeline,
      run: firing.runId,
      firing: firing.id,
      status: firing.status,
    };
    const drift = trigger.condition.kind === 'model_health' && trigger.condition.metric === 'drift';
    await sendAlert(this.stack, {
      kind: drift ? 'drift_detected' : 'trigger_fired',
      severity: drift ? 'warning' : 'info',
      title: drift
        ? `drift detected on ${trigger.condition.kind === 'model_health' ? trigger.condition.model : ''}: ${trigger.name} fired`
        : `${trigger.name} fired: ${firing.status === 'claimed' ? `run ${firing.runId} of ${trigger.target.pipeline}` : firing.status}`,
      text: firing.reason,
      fields,
    });
  }

  /** A run this agent started exited badly (called by the launcher's owner). */
  async runFailed(firing: FiringRecord, detail: string): Promise<void> {
    const run =
      firing.runId === null
        ? undefined
        : await this.stack.database.getRun(firing.runId).catch(() => undefined);
    if (!run)
      await this.stack.database
        .updateFiring(firing.id, { status: 'failed', error: detail })
        .catch(() => undefined);
    // The run's own process alerts the end it saw (core alertRunEnd); the agent reports what that
    // process could not: a run that never started, or a process that died mid-run (crashed).
    if (run && (await this.stack.database.getMetadata('run', run.id))[RUN_ALERTED_KEY] !== undefined) return;
    const crashed = run !== undefined && !['completed', 'failed', 'cancelled'].includes(run.status);
    await sendAlert(this.stack, {
      kind: crashed ? 'run_crashed' : 'run_failed',
      severity: 'error',
      title: `run ${firing.runId} started by ${firing.trigger} ${crashed ? 'crashed (its process exited mid-run)' : run ? run.status : 'did not start'}`,
      text: run?.error ?? detail,
      fields: {
        trigger: firing.trigger,
        run: firing.runId,
        pipeline: run?.pipelineName ?? null,
        firing: firing.id,
      },
    });
  }

  #log(line: string): void {
    (this.#options.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }
}
