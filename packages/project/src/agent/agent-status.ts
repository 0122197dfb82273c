import { hostname } from 'node:os';
import type { Stack } from '@strata/core';
import { type AgentRecord, judgeOwner } from '@strata/core/plugin';
import { EVALUATOR_LEASE } from './agent.js';
import { pidNamespace } from './pid-namespace.js';

export interface AgentStatus extends AgentRecord {
  /**
   * live: heartbeat within 3 lease periods (and, on this machine, its process is running); stopped:
   * shut down cleanly; lost: its process is gone (this machine) or no heartbeat for 3 lease periods.
   */
  readonly state: 'live' | 'stopped' | 'lost';
  readonly evaluating: boolean;
  /** Milliseconds since its last heartbeat (every 5 s while it runs). */
  readonly lastSeenMs: number;
  /** Why it is lost, e.g. 'process 4242 on host-a is gone'. */
  readonly lostReason?: string;
}

/**
 * The agents that reported to this store, newest first, with which one holds the evaluator lease. An
 * agent killed with kill -9 leaves no stop record: on another machine only its silence tells (45 s); on
 * this one its process is checked (pid, boot id and start time, as for a run's owner), so it shows lost
 * at once instead of `live standby` for up to 45 s.
 */
export async function agentStatus(stack: Stack, now = Date.now(), leaseMs = 15_000): Promise<AgentStatus[]> {
  const db = stack.database;
  const [agents, lease] = await Promise.all([db.listAgents(), db.leaseHolder(EVALUATOR_LEASE)]);
  return Promise.all(
    agents.map(async (a) => {
      const lastSeenMs = Math.max(0, now - a.heartbeatAt);
      const lostReason = a.stoppedAt !== null ? undefined : await whyLost(a, lastSeenMs, leaseMs);
      const state = a.stoppedAt !== null ? 'stopped' : lostReason === undefined ? 'live' : 'lost';
      return {
        ...a,
        state,
        evaluating: state === 'live' && lease?.holder === a.id && lease.expiresAt > now,
        lastSeenMs,
        ...(lostReason === undefined ? {} : { lostReason }),
      };
    }),
  );
}

async function whyLost(a: AgentRecord, lastSeenMs: number, leaseMs: number): Promise<string | undefined> {
  const recorded = (
    a.stats as { process?: { bootId?: unknown; startTicks?: unknown; pidNamespace?: unknown } } | null
  )?.process;
  const here = pidNamespace();
  if (a.host === hostname() && here !== 'unknown' && recorded?.pidNamespace === here) {
    const verdict = await judgeOwner({
      runId: a.id,
      stepRunId: null,
      heartbeatAt: a.heartbeatAt,
      owner: {
        kind: 'process',
        pid: a.pid,
        host: a.host,
        bootId: typeof recorded?.bootId === 'string' ? recorded.bootId : 'unknown',
        startTicks: typeof recorded?.startTicks === 'number' ? recorded.startTicks : 0,
      },
    });
    if (verdict.alive === false) return verdict.reason;
  }
  if (lastSeenMs >= 3 * leaseMs) return `no heartbeat for ${Math.round(lastSeenMs / 1000)} s`;
  return undefined;
}
