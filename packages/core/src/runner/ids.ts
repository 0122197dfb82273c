import { randomBytes } from 'node:crypto';

/** Sortable, unique run id: time prefix (so listings sort naturally) plus randomness. */
export function newRunId(now = Date.now()): string {
  return `r-${now.toString(36)}-${randomBytes(5).toString('hex')}`;
}

export function newArtifactId(): string {
  return `a-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
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
