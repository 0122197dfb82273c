import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { OwnerRecord } from '../metadata/liveness-store.js';
import { bootId, describeOwner, processStartTicks, type RunOwner } from './owner.js';

export type Verdict =
  | { readonly alive: true }
  | { readonly alive: false; readonly reason: string }
  | { readonly alive: 'unknown' };

/** Asks an executor about an owner it knows how to check (a container engine, Temporal). */
export type OwnerProbe = (owner: RunOwner) => Promise<Verdict>;

export interface JudgeOptions {
  readonly now?: number;
  /** A heartbeat older than this means an owner on another machine is gone (default 60 s). */
  readonly staleMs?: number;
  /** Checks for owners that are not processes, by kind. */
  readonly probes?: Partial<Record<RunOwner['kind'], OwnerProbe>>;
}

/** Heartbeats are written every HEARTBEAT_MS; six missed beats make an owner on another machine stale. */
export const HEARTBEAT_MS = 10_000;
export const STALE_MS = 6 * HEARTBEAT_MS;

const hasProc = () => existsSync('/proc/self/stat');

function judgeLocalProcess(owner: Extract<RunOwner, { kind: 'process' }>): Verdict {
  const who = describeOwner(owner);
  if (owner.bootId !== 'unknown' && bootId() !== 'unknown' && owner.bootId !== bootId())
    return { alive: false, reason: `${who} belonged to an earlier boot (the machine restarted)` };
  if (!hasProc()) {
    try {
      process.kill(owner.pid, 0);
      return { alive: true };
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH'
        ? { alive: false, reason: `${who} is gone` }
        : { alive: true };
    }
  }
  const ticks = processStartTicks(owner.pid);
  if (ticks === undefined) return { alive: false, reason: `${who} is gone` };
  if (owner.startTicks !== 0 && ticks !== owner.startTicks)
    return { alive: false, reason: `${who} is gone (its pid now belongs to another process)` };
  return { alive: true };
}

/** Is the owner of a run or step still there? Decided from this machine's point of view. */
export async function judgeOwner(record: OwnerRecord, options: JudgeOptions = {}): Promise<Verdict> {
  const { owner } = record;
  const probe = options.probes?.[owner.kind];
  if (probe) return probe(owner);
  if (owner.kind === 'process' && owner.host === hostname()) return judgeLocalProcess(owner);
  if (owner.kind === 'process') {
    // Another machine: only its heartbeat can tell.
    const silent = (options.now ?? Date.now()) - record.heartbeatAt;
    if (silent > (options.staleMs ?? STALE_MS))
      return {
        alive: false,
        reason: `no heartbeat from ${describeOwner(owner)} for ${Math.round(silent / 1000)} s`,
      };
    return { alive: true };
  }
  return { alive: 'unknown' };
}
