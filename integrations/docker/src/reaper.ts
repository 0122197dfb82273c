import { judgeOwner, type RunOwner, type Verdict } from '@strata/core/plugin';
import type Docker from 'dockerode';
import { OWNER_LABEL, RUN_LABEL, STEP_LABEL } from './labels.js';

export interface ReapOptions {
  /** Only these runs' containers, whoever started them (their run is over). Default: every container whose starter is gone. */
  readonly runIds?: readonly string[] | undefined;
  /** Remove the containers (else only stop them, for `removeContainers: false`). */
  readonly remove: boolean;
  /** Only say what would be reaped. */
  readonly dryRun?: boolean;
}

export interface Reaped {
  readonly id: string;
  readonly runId: string;
  readonly step: string;
  readonly line: string;
}

/** Seconds a reaped container gets after SIGTERM: its run is already over, nobody waits for it. */
const REAP_GRACE_SECONDS = 2;

/**
 * Stops (and removes) step containers that nobody drives any more: those of the given runs, or those
 * whose starting process is gone (the OWNER_LABEL judged like any run owner: pid, boot id and start
 * time on this host). Containers started from another host are left to that host (their starter's
 * liveness cannot be told from here).
 */
export async function reapContainers(docker: Docker, options: ReapOptions): Promise<Reaped[]> {
  const filters = options.runIds
    ? { label: options.runIds.map((id) => `${RUN_LABEL}=${id}`) }
    : { label: [RUN_LABEL] };
  // One filter per run id would AND them: list each run's containers on its own.
  const lists = options.runIds
    ? await Promise.all(
        filters.label.map((label) => docker.listContainers({ all: true, filters: { label: [label] } })),
      )
    : [await docker.listContainers({ all: true, filters })];
  const out: Reaped[] = [];
  for (const info of lists.flat()) {
    const runId = info.Labels[RUN_LABEL] ?? '';
    const step = info.Labels[STEP_LABEL] ?? '?';
    let why: string;
    if (options.runIds) why = `its run ${runId} is over`;
    else {
      const verdict = await starterVerdict(info.Labels[OWNER_LABEL]);
      if (verdict.alive !== false) continue;
      why = `its starter, ${verdict.reason}`;
    }
    const short = info.Id.slice(0, 12);
    const action = options.remove ? 'removed' : 'stopped';
    out.push({
      id: info.Id,
      runId,
      step,
      line: `${options.dryRun ? `would be ${action}` : action}: container ${short} (${info.State}) of run ${runId} step ${step}: ${why}`,
    });
    if (options.dryRun) continue;
    const container = docker.getContainer(info.Id);
    if (info.State === 'running') await container.stop({ t: REAP_GRACE_SECONDS }).catch(() => undefined);
    if (options.remove) await container.remove({ force: true }).catch(() => undefined);
  }
  return out;
}

async function starterVerdict(label: string | undefined): Promise<Verdict> {
  if (!label) return { alive: 'unknown' };
  let owner: RunOwner;
  try {
    owner = JSON.parse(label) as RunOwner;
  } catch {
    return { alive: 'unknown' };
  }
  if (owner.kind !== 'process') return { alive: 'unknown' };
  // A heartbeat of "now": an owner on another host is never judged gone from its label alone.
  return judgeOwner({ runId: '', stepRunId: null, owner, heartbeatAt: Date.now() });
}
