import type { Stack } from '@strata/core';
import type { AgentRecord } from '@strata/core/plugin';
import { EVALUATOR_LEASE } from './agent.js';

export interface AgentStatus extends AgentRecord {
  /** live: heartbeat within 3 lease periods; stopped: shut down cleanly; lost: no heartbeat (killed?). */
  readonly state: 'live' | 'stopped' | 'lost';
  readonly evaluating: boolean;
}

/** The agents that reported to this store, newest first, with which one holds the evaluator lease. */
export async function agentStatus(stack: Stack, now = Date.now(), leaseMs = 15_000): Promise<AgentStatus[]> {
  const db = stack.database;
  const [agents, lease] = await Promise.all([db.listAgents(), db.leaseHolder(EVALUATOR_LEASE)]);
  return agents.map((a) => ({
    ...a,
    state: a.stoppedAt !== null ? 'stopped' : now - a.heartbeatAt < 3 * leaseMs ? 'live' : 'lost',
    evaluating: a.stoppedAt === null && lease?.holder === a.id && lease.expiresAt > now,
  }));
}
