import { readFile } from 'node:fs/promises';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from './worker-bundle.js';

/**
 * Histories recorded by src/testing/record-history.ts (no server needed to replay them): a run must
 * replay on the current workflow code, also one started by an older version, or a worker deployed in
 * the middle of it would fail the run with a nondeterminism error.
 */
async function replay(file: string): Promise<void> {
  const json = await readFile(new URL(`./testing/histories/${file}`, import.meta.url), 'utf8');
  const history = historyFromJSON(JSON.parse(json));
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
}

describe('strataRun replays its recorded histories', () => {
  it('replays a run whose bookkeeping ran as remote activities (before local bookkeeping)', async () => {
    const json = await readFile(
      new URL('./testing/histories/fanout-remote-bookkeeping.json', import.meta.url),
      'utf8',
    );
    expect(json).toMatch(/"name": *"loadPlan"/);
    await expect(replay('fanout-remote-bookkeeping.json')).resolves.toBeUndefined();
  }, 60_000);

  it('replays a run whose bookkeeping ran as local activities', async () => {
    await expect(replay('fanout-local-bookkeeping.json')).resolves.toBeUndefined();
  }, 60_000);
});
