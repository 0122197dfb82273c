import type { ArtifactRecord, RunHandle, RunRecord, Stack } from '@strata/core';
import { finishedStepStatuses, type StepRunStatus } from '@strata/core/plugin';
import { dim, printJson, statusColour } from './format.js';
import { printRunWarnings } from './run-warnings.js';

/** Core's one set of finished step statuses. */
const finished: ReadonlySet<string> = new Set(finishedStepStatuses);

/** The pause between two polls is at least this many times the last poll's duration. */
const POLL_SHARE = 20;
/** ...but never longer than this: the live line still moves. */
const MAX_PAUSE_MS = 1000;

/** A detached run still going after this long asks its orchestrator whether it is stalled... */
const STALL_FIRST_CHECK_MS = 5_000;
/** ...and again this often while it goes on (a hint is printed again only when it changes). */
const STALL_CHECK_EVERY_MS = 30_000;

/** Events recording the items a mapped step fans out over (core's itemEventName). */
const MAP_ITEMS_PREFIX = '__item:';

/** An output of a step run as a line shows it: from an output event, or from the runner's memory. */
interface Output {
  readonly name: string;
  readonly artifact: ArtifactRecord;
}

/**
 * Outputs in outputEventsOf's order (name, then position; names are identifiers, so code-unit order
 * is the store's byte order): the runner records them in its declared order.
 */
function storeOrder(outputs: readonly (Output & { readonly position: number })[]): readonly Output[] {
  return [...outputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.position - b.position));
}

/**
 * Follows a run by polling the metadata store (so it works for in-process and detached orchestrators
 * alike). On a TTY: one live line "done · running · cached · failed"; otherwise plain lines, one per
 * step as it finishes. Ends with the run's outcome.
 */
export async function watchRun(
  stack: Stack,
  handle: RunHandle,
  options: { json?: boolean; pollMs?: number; stallAfterMs?: number } = {},
): Promise<RunRecord> {
  const db = stack.database;
  const tty = process.stdout.isTTY === true && options.json !== true;
  const record = (await db.getRun(handle.id))!;
  // Submitted by this process: its snapshot is at hand (reading and parsing the row is O(steps)).
  const snapshot = handle.snapshot ?? (await db.getSnapshot(record.snapshotId))!.body;
  const order = new Map(snapshot.nodes.map((n, i) => [n.id, i]));
  const mapped = new Set(snapshot.nodes.filter((n) => n.map).map((n) => n.id));
  if (!options.json)
    process.stdout.write(
      `run ${handle.id} (${handle.name}) of ${record.pipelineName} on stack ${stack.name}\n`,
    );
  const printed = new Set<string>();
  // One line per step: status, node, cache reason and a preview of small outputs (e.g. an accuracy).
  // A mapped step's outputs are lists (one value per instance): counted, not previewed one by one.
  // `outputs`: the row's outputs in the store's order (name, then position), from memory or read for
  // all the rows printed at once (outputEventsOf).
  const line = (row: StepRunStatus, outputs: readonly Output[]) => {
    const byName = new Map<string, ArtifactRecord[]>();
    for (const e of outputs) {
      if (e.name.startsWith(MAP_ITEMS_PREFIX)) continue;
      const list = byName.get(e.name);
      if (list) list.push(e.artifact);
      else byName.set(e.name, [e.artifact]);
    }
    const shown = [...byName].flatMap(([name, artifacts]) => {
      if (mapped.has(row.nodeId)) return [`${name}: ${artifacts.length} values`];
      const [only] = artifacts;
      if (!only || only.size > 64) return [];
      return [`${name}=${(only.summary as { preview?: string } | null)?.preview ?? ''}`];
    });
    const detail = [row.cacheReason, ...shown].filter(Boolean).join('; ');
    return `  ${statusColour(row.status.padEnd(9))} ${row.nodeId}${detail ? dim(`  (${detail})`) : ''}${row.error ? `  ${row.error}` : ''}\n`;
  };
  /**
   * One line per row. Outputs the runner in this process recorded are taken from memory (it already
   * holds them: reading them back cost a query and its rows per poll); the others are read in one
   * query (not one per step: thousands of steps print).
   */
  const printLines = async (rows: readonly StepRunStatus[]) => {
    if (rows.length === 0) return;
    const outputs = new Map<string, readonly Output[]>();
    for (const row of rows) {
      // Only a committed success: a row whose commit or success hook failed printed no outputs before.
      if (row.status !== 'completed' && row.status !== 'cached') continue;
      const held = handle.outputsInMemory(row.id);
      if (held) outputs.set(row.id, storeOrder(held));
    }
    const unread = rows.filter((r) => !outputs.has(r.id)).map((r) => r.id);
    if (unread.length > 0)
      for (const [id, events] of await db.outputEventsOf(unread)) outputs.set(id, events);
    process.stdout.write(rows.map((row) => line(row, outputs.get(row.id) ?? [])).join(''));
  };
  // Every step row read so far, by id, as last read (map instances too: the warnings at the end name
  // their node). A poll reads only the rows changed since the one before (stepStatusesSince, through
  // the store's change feed) where the store can tell: reading every row cost 3-5 µs a row a poll.
  const known = new Map<string, StepRunStatus>();
  let cursor: string | undefined;
  /** Reads the rows changed since the last read into `known`; returns them. */
  const readChanged = async (): Promise<StepRunStatus[]> => {
    let rows: StepRunStatus[];
    if (db.stepStatusesSince) {
      const since = await db.stepStatusesSince(handle.id, cursor);
      cursor = since.cursor;
      rows = since.rows;
    } else {
      rows = await db.listStepStatuses(handle.id);
    }
    for (const row of rows) known.set(row.id, row);
    return rows;
  };
  const topLevel = (rows: Iterable<StepRunStatus>) =>
    [...rows]
      .filter((r) => r.mapIndex < 0)
      .sort((a, b) => (order.get(a.nodeId) ?? 0) - (order.get(b.nodeId) ?? 0));
  const poll = async () => {
    // --json prints only the final record: nothing to read while the run goes on.
    if (options.json) return;
    const changed = await readChanged();
    if (tty) {
      const rows = topLevel(known.values());
      const count = (s: string) => rows.filter((r) => r.status === s).length;
      const done = rows.filter((r) => finished.has(r.status)).length;
      const running = rows.filter((r) => r.status === 'running').map((r) => r.nodeId);
      process.stdout.write(
        `\r\x1b[K  [${done}/${rows.length}] done ${count('completed')} · running ${running.length} · cached ${count('cached')} · failed ${count('failed')}${running.length ? dim(`  ${running.join(', ')}`) : ''}`,
      );
      return;
    }
    // A row that finished since the last poll is among the changed ones.
    const now = topLevel(changed).filter((row) => finished.has(row.status) && !printed.has(row.nodeId));
    await printLines(now);
    for (const row of now) printed.add(row.nodeId);
  };
  let done = false;
  const waiting = handle.wait().finally(() => {
    done = true;
  });
  const stall = stallHints(stack, handle.id, options.stallAfterMs ?? STALL_FIRST_CHECK_MS, () => {
    if (tty) process.stdout.write('\r\x1b[K');
  });
  while (!done) {
    const began = Date.now();
    await poll();
    await stall.check();
    // A poll reads every step row of the run: on a run of thousands of short steps, polling every
    // 200 ms would cost more than the steps. The pause is at least POLL_SHARE times the last poll, so
    // the display takes at most about 1/POLL_SHARE of the run's time.
    const pause = Math.max(options.pollMs ?? 200, Math.min(MAX_PAUSE_MS, (Date.now() - began) * POLL_SHARE));
    // The timer is cleared when the run ends first: a pending one kept the process alive for up to
    // a poll interval after the run was over (about 0.2 s of every short run's wall time).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      waiting.catch(() => undefined),
      new Promise((r) => {
        timer = setTimeout(r, pause);
      }),
    ]);
    clearTimeout(timer);
  }
  const run = await waiting;
  if (tty) {
    process.stdout.write('\r\x1b[K');
    await readChanged();
    await printLines(topLevel(known.values()));
  } else {
    await poll();
  }
  if (options.json) printJson(run);
  else {
    // The rows of the last read above, taken once the run had ended: not read again.
    await printRunWarnings(db, handle.id, (id) => known.get(id)?.nodeId ?? id);
    // A cancelled run's error is just "cancelled": `run … cancelled: cancelled` said it twice.
    const error = run.error && run.error !== run.status ? `: ${run.error}` : '';
    process.stdout.write(`run ${run.id} ${statusColour(run.status)}${error}\n`);
  }
  return run;
}

/**
 * Asks the orchestrator, now and then, why a run it runs elsewhere makes no progress (a Temporal run
 * with no worker waits in silence otherwise), and prints its answer on stderr when it changes.
 * Never asked in the first seconds: a run that is merely starting is not stalled.
 */
function stallHints(stack: Stack, runId: string, firstAfterMs: number, clearLine: () => void) {
  const stalled = stack.orchestrator.stalled?.bind(stack.orchestrator);
  let next = Date.now() + firstAfterMs;
  let said: string | undefined;
  return {
    async check() {
      if (!stalled || Date.now() < next) return;
      next = Date.now() + STALL_CHECK_EVERY_MS;
      const hint = await stalled(runId, stack.name);
      if (hint && hint !== said) {
        clearLine();
        process.stderr.write(`  waiting: ${hint}\n`);
      }
      said = hint;
    },
  };
}
