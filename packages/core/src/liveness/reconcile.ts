import { hostname } from 'node:os';
import type { LivenessStore, OwnerRecord } from '../metadata/liveness-store.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import { activeStatuses, type RunRecord } from '../metadata/records.js';
import type { StrataDatabase } from '../metadata/strata-database.js';
import { recordRunEnd } from '../runner/run-loop.js';
import { type JudgeOptions, judgeOwner, type Verdict } from './judge-owner.js';
import { readLastWords, timedOutPatch } from './last-words.js';
import { ownerProber } from './owner-prober.js';

type Store = MetadataStore & Partial<LivenessStore>;

function hasLiveness(db: Store): db is MetadataStore & LivenessStore {
  return typeof db.owners === 'function' && typeof db.markCrashed === 'function';
}

/**
 * Every reader of runs calls this: a run still marked pending or running whose owner is gone becomes
 * `crashed` (with the reason and time), its running steps too, so nothing stays `running` forever.
 * Runs whose owner cannot be checked from here (no owner recorded, an unprobed workflow) are left as
 * they are. Returns the runs as they now stand.
 */
export async function reconcileRuns(
  db: Store,
  runs: readonly RunRecord[],
  options: JudgeOptions = {},
): Promise<RunRecord[]> {
  const active = runs.filter((r) => activeStatuses.includes(r.status as 'running'));
  if (active.length === 0 || !hasLiveness(db)) return [...runs];
  const owners = await db.owners(active.map((r) => r.id));
  const changed = new Map<string, RunRecord>();
  const prober = ownerProber(db);
  try {
    for (const run of active) {
      const row = owners.find((o) => o.runId === run.id && o.stepRunId === null);
      if (!row) continue;
      const verdict = await judge(db, run, row, options);
      if (verdict.alive !== false) continue;
      const at = Date.now();
      // A process that ended itself for a step that spun past its timeout said so before it went.
      if (await recordLastWords(db, run, row).catch(() => false)) {
        const now = await db.getRun(run.id);
        if (now) changed.set(run.id, now);
        continue;
      }
      const reason = `owner gone: ${verdict.reason} (noticed at ${new Date(at).toISOString()})`;
      // A store that cannot be written (a full disk) still shows the truth; the next reader records it.
      const marked = await db.markCrashed(run.id, reason, at).catch(() => true);
      const now = marked
        ? { ...run, status: 'crashed' as const, endedAt: at, error: reason }
        : await db.getRun(run.id);
      if (now) changed.set(run.id, now);
      // What the dead owner left running (step containers) is stopped by its orchestrator.
      if (marked) await prober?.crashed?.(run).catch(() => undefined);
    }
  } finally {
    await prober?.release?.().catch(() => undefined);
  }
  return runs.map((r) => changed.get(r.id) ?? r);
}

/**
 * Records what a gone process said in its last words about this run (liveness/last-words.ts): the
 * steps it stopped `timed_out` with why, the run `failed` (its other steps closed). False if it said
 * nothing about this run.
 */
async function recordLastWords(
  db: MetadataStore & LivenessStore,
  run: RunRecord,
  row: OwnerRecord,
): Promise<boolean> {
  if (row.owner.kind !== 'process' || row.owner.host !== hostname()) return false;
  const words = readLastWords(row.owner)?.filter((w) => w.runId === run.id) ?? [];
  if (words.length === 0) return false;
  const at = Date.now();
  for (const w of words) await db.updateStepRun(w.stepRunId, timedOutPatch(w, at));
  await recordRunEnd(db as StrataDatabase, run.id, false);
  return true;
}

/**
 * A process owner is judged here; a container or workflow by the probe passed in, else by the
 * orchestrator through the database's prober (`setOwnerProber`), else not at all (`unknown`).
 */
async function judge(db: Store, run: RunRecord, row: OwnerRecord, options: JudgeOptions): Promise<Verdict> {
  const prober = ownerProber(db);
  const kind = row.owner.kind;
  if (prober && !options.probes?.[kind] && (kind === 'workflow' || kind === 'container'))
    return prober.judge(run, row.owner).catch(() => ({ alive: 'unknown' }) as const);
  return judgeOwner(row, options);
}

/** `reconcileRuns` for one run. */
export async function reconcileRun(
  db: Store,
  run: RunRecord,
  options: JudgeOptions = {},
): Promise<RunRecord> {
  return (await reconcileRuns(db, [run], options))[0]!;
}

/** The verdict on a run's owner, for commands that must refuse a live run (resume). */
export async function runOwnerVerdict(
  db: Store,
  runId: string,
  options: JudgeOptions = {},
): Promise<Verdict & { readonly owner?: string }> {
  if (!hasLiveness(db)) return { alive: 'unknown' };
  const row = (await db.owners([runId])).find((o) => o.stepRunId === null);
  if (!row) return { alive: 'unknown' };
  const run = await db.getRun(runId);
  const { describeOwner } = await import('./owner.js');
  try {
    const verdict = run ? await judge(db, run, row, options) : await judgeOwner(row, options);
    return { ...verdict, owner: describeOwner(row.owner) };
  } finally {
    await ownerProber(db)
      ?.release?.()
      .catch(() => undefined);
  }
}
