import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who executes a run or a step, in a form another process can check:
 * - `process`: pid + host + boot id + the process's start time (pids are reused; the start time and
 *   boot id tell a reused pid from the original);
 * - `container`: a Docker container id (on `host`'s engine);
 * - `workflow`: a Temporal workflow id;
 * - `unknown`: handed to an executor that names no owner; never judged dead by a reader.
 */
export type RunOwner =
  | {
      readonly kind: 'process';
      readonly pid: number;
      readonly host: string;
      readonly bootId: string;
      /** Start time of the process in clock ticks since boot (/proc/PID/stat field 22); 0 if unknown. */
      readonly startTicks: number;
    }
  | { readonly kind: 'container'; readonly id: string; readonly host: string }
  | { readonly kind: 'workflow'; readonly id: string; readonly namespace?: string }
  | { readonly kind: 'unknown' };

let cachedBootId: string | undefined;

/** This machine's boot id (Linux); a stable placeholder elsewhere, so only the pid is compared. */
export function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = 'unknown';
    }
  }
  return cachedBootId;
}

/** Start time of a process in clock ticks since boot, or undefined when it does not exist. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); field 22 (starttime) is fields[19]. A zombie has exited.
    if (fields[0] === 'Z') return undefined;
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

export type ProcessOwner = Extract<RunOwner, { kind: 'process' }>;

let self: ProcessOwner | undefined;

/** The owner record of this process. */
export function processOwner(): ProcessOwner {
  self ??= {
    kind: 'process',
    pid: process.pid,
    host: hostname(),
    bootId: bootId(),
    startTicks: processStartTicks(process.pid) ?? 0,
  };
  return self;
}

/** One line for messages: "process 1234 on host-a", "container 3f2a…", "workflow strata-r-…". */
export function describeOwner(owner: RunOwner): string {
  switch (owner.kind) {
    case 'process':
      return `process ${owner.pid} on ${owner.host}`;
    case 'container':
      return `container ${owner.id.slice(0, 12)} on ${owner.host}`;
    case 'workflow':
      return `Temporal workflow ${owner.id}`;
    default:
      return 'an executor that recorded no owner';
  }
}
