import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { Stack } from '@strata/core';
import { type AgentRecord, processOwner } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { agentStatus } from './agent-status.js';
import { pidNamespace } from './pid-namespace.js';

const NOW = 1_000_000_000;

/** An agent record as `strata agent` saves it (its process in stats), beating `ago` ms before NOW. */
function agent(id: string, over: Partial<AgentRecord> & { ago?: number } = {}): AgentRecord {
  const me = processOwner();
  const { ago = 1000, ...rest } = over;
  return {
    id,
    host: hostname(),
    pid: process.pid,
    version: '0',
    startedAt: NOW - 60_000,
    heartbeatAt: NOW - ago,
    stoppedAt: null,
    stats: {
      fired: 0,
      process: { bootId: me.bootId, startTicks: me.startTicks, pidNamespace: pidNamespace() },
    },
    ...rest,
  };
}

function stackWith(agents: AgentRecord[], holder?: string): Stack {
  return {
    database: {
      listAgents: async () => agents,
      leaseHolder: async () => (holder ? { holder, expiresAt: NOW + 10_000 } : undefined),
    },
  } as unknown as Stack;
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('agentStatus', () => {
  it('shows an agent on this machine whose process is gone as lost at once (kill -9), not live for 45 s', async () => {
    const pid = deadPid();
    const [killed] = await agentStatus(stackWith([agent('a-killed', { pid, ago: 2000 })], 'a-killed'), NOW);
    expect(killed).toMatchObject({
      state: 'lost',
      evaluating: false,
      lastSeenMs: 2000,
      lostReason: `process ${pid} on ${hostname()} is gone`,
    });
  });

  it.skipIf(processOwner().startTicks === 0)(
    'tells a reused pid from the agent that had it, by the process start time (needs /proc)',
    async () => {
      const me = processOwner();
      const stats = {
        process: { bootId: me.bootId, startTicks: me.startTicks + 1, pidNamespace: pidNamespace() },
      };
      const [reused] = await agentStatus(stackWith([agent('a-old', { stats })]), NOW);
      expect(reused).toMatchObject({ state: 'lost', lostReason: expect.stringContaining('another process') });
    },
  );

  // `docker run --network host`: the container's agent records the host's name, and pids of its own.
  it('judges an agent in another pid namespace under this host name by its silence, not by its pid', async () => {
    const pid = deadPid();
    const me = processOwner();
    const stats = { process: { bootId: me.bootId, startTicks: 1, pidNamespace: 'pid:[1]' } };
    const [contained] = await agentStatus(stackWith([agent('a-box', { pid, stats })], 'a-box'), NOW);
    expect(contained).toMatchObject({ state: 'live', evaluating: true });
  });

  it('shows a running agent on this machine live, evaluating while it holds the lease', async () => {
    const [live] = await agentStatus(stackWith([agent('a-live')], 'a-live'), NOW);
    expect(live).toMatchObject({ state: 'live', evaluating: true, lastSeenMs: 1000 });
    expect(live).not.toHaveProperty('lostReason');
  });

  it('judges an agent on another machine by its silence: live with how long ago, lost after 3 leases', async () => {
    const other = { host: 'elsewhere.invalid', pid: deadPid() };
    const [late, silent] = await agentStatus(
      stackWith([agent('a-late', { ...other, ago: 20_000 }), agent('a-silent', { ...other, ago: 50_000 })]),
      NOW,
    );
    expect(late).toMatchObject({ state: 'live', lastSeenMs: 20_000 });
    expect(silent).toMatchObject({ state: 'lost', lostReason: 'no heartbeat for 50 s' });
  });

  it('shows a cleanly stopped agent stopped, whatever its process', async () => {
    const [stopped] = await agentStatus(
      stackWith([agent('a-done', { pid: deadPid(), stoppedAt: NOW - 5 })]),
      NOW,
    );
    expect(stopped).toMatchObject({ state: 'stopped', evaluating: false });
    expect(stopped).not.toHaveProperty('lostReason');
  });
});
