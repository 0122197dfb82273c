import type { RunRecord } from '../metadata/records.js';
import type { Verdict } from './judge-owner.js';
import type { RunOwner } from './owner.js';

/**
 * What only a run's orchestrator can answer, for readers that hold just the metadata store (`runs
 * list`, the server, the Client): is a container or workflow owner still there, and what to stop once
 * a run is found crashed (the step containers of a killed submitter). The host that opened the store
 * (@strata/project) registers one per database; core never imports an orchestrator.
 */
export interface OwnerProber {
  /** The verdict on an owner an orchestrator recorded (`workflow`, `container`) for this run. */
  judge(run: RunRecord, owner: RunOwner): Promise<Verdict>;
  /** The run was just found crashed: stop and remove what it left running. Best effort. */
  crashed?(run: RunRecord): Promise<void>;
  /** The end of one reconciliation: release what `judge` and `crashed` opened. */
  release?(): Promise<void>;
}

const probers = new WeakMap<object, OwnerProber>();

/** Registers the prober readers of this database use (one per database; a later one replaces it). */
export function setOwnerProber(database: object, prober: OwnerProber): void {
  probers.set(database, prober);
}

export function ownerProber(database: object): OwnerProber | undefined {
  return probers.get(database);
}
