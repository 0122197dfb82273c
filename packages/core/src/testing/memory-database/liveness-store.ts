import type { RunOwner } from '../../liveness/owner.js';
import type { LivenessStore, OwnerRecord } from '../../metadata/liveness-store.js';
import type { JsonValue } from '../../metadata/records.js';
import { json, key, type MemoryTables } from './tables.js';

const ACTIVE = new Set(['pending', 'running']);

/** Owner rows and the crash/close transitions of the in-memory database (see LivenessStore). */
export class MemoryLivenessStore implements LivenessStore {
  constructor(private readonly t: MemoryTables) {}

  async setOwner(record: OwnerRecord): Promise<void> {
    this.t.owners.set(key(record.runId, record.stepRunId ?? ''), {
      owner: json(record.owner as unknown as JsonValue),
      heartbeatAt: record.heartbeatAt,
    });
  }

  async heartbeat(runIds: readonly string[], at: number): Promise<void> {
    for (const row of this.#rows(runIds)) row.value.heartbeatAt = at;
  }

  async owners(runIds: readonly string[]): Promise<OwnerRecord[]> {
    return this.#rows(runIds).map(({ runId, stepRunId, value }) => ({
      runId,
      stepRunId: stepRunId === '' ? null : stepRunId,
      owner: json(value.owner) as unknown as RunOwner,
      heartbeatAt: value.heartbeatAt,
    }));
  }

  #rows(runIds: readonly string[]) {
    const wanted = new Set(runIds);
    return [...this.t.owners.entries()]
      .map(([k, value]) => {
        const [runId, stepRunId] = k.split('\u0000') as [string, string];
        return { runId, stepRunId, value };
      })
      .filter((row) => wanted.has(row.runId));
  }

  async markCrashed(runId: string, reason: string, at: number): Promise<boolean> {
    const run = this.t.runs.get(runId);
    if (!run || !ACTIVE.has(run.status)) return false;
    this.t.runs.set(runId, { ...run, status: 'crashed', endedAt: at, error: reason });
    this.#closeSteps(runId, 'crashed', reason, at);
    return true;
  }

  async closeActiveSteps(
    runId: string,
    status: 'cancelled' | 'crashed',
    reason: string,
    at: number,
  ): Promise<number> {
    return this.#closeSteps(runId, status, reason, at);
  }

  /** Running steps get `status`; pending ones (never started, or not yet marked running) `cancelled`. */
  #closeSteps(runId: string, status: 'cancelled' | 'crashed', reason: string, at: number): number {
    let closed = 0;
    for (const [id, row] of this.t.stepRuns) {
      if (row.runId !== runId) continue;
      if (row.status === 'running') {
        this.t.stepRuns.set(id, { ...row, status, endedAt: at, error: reason });
      } else if (row.status === 'pending') {
        this.t.stepRuns.set(id, {
          ...row,
          status: 'cancelled',
          endedAt: at,
          error: `not finished: ${reason}`,
        });
      } else continue;
      closed += 1;
    }
    return closed;
  }
}
