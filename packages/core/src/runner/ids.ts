import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from a refilled pool: one system call per 4 KiB, not one per artifact id. */
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}

/** Sortable, unique run id: time prefix (so listings sort naturally) plus randomness. */
export function newRunId(now = Date.now()): string {
  return `r-${now.toString(36)}-${randomHex(5)}`;
}

/** The time part of the last id made, by the millisecond it was made in (many ids share one). */
let idMs = -1;
let idPrefix = '';

export function newArtifactId(now = Date.now()): string {
  if (now !== idMs) {
    idMs = now;
    idPrefix = `a-${now.toString(36)}-`;
  }
  return idPrefix + randomHex(6);
}

/**
 * Step run ids are derived, not random: any process that knows the run and the node can address the
 * row without a lookup, which keeps remote executors and the 1,000-step chain cheap.
 */
export function stepRunId(runId: string, nodeId: string, mapIndex = -1): string {
  return mapIndex < 0 ? `${runId}/${nodeId}` : `${runId}/${nodeId}[${mapIndex}]`;
}

/** The event name under which a mapped step's parent row records element `i` of the list it maps over. */
export function itemEventName(input: string): string {
  return `__item:${input}`;
}
