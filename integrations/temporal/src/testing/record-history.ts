/**
 * Records the history of a `fanout` run (count 3: a step, a mapped step, a step) as JSON, for the
 * replay spec (workflow-replay.spec.ts): `source .services/env && node --import tsx --import
 * ./packages/project/hooks/source-conditions.mjs integrations/temporal/src/testing/record-history.ts OUT.json`
 */
import { rm, writeFile } from 'node:fs/promises';
import { openStack } from '@strata/project';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { fanout } from './fanout-pipeline.js';
import { createTemporalProject, spawnWorker, temporalAddress } from './temporal-project.js';

const out = process.argv[2];
if (!out) throw new Error('usage: record-history.ts OUT.json');
const project = await createTemporalProject();
const worker = spawnWorker(project.root);
const connection = await Connection.connect({ address: temporalAddress() });
const stack = await openStack({ cwd: project.root, stack: 'temporal' });
try {
  await worker.ready;
  const handle = await fanout.run({ stack, params: { count: 3 }, noCache: true });
  const workflow = new Client({ connection }).workflow.getHandle(handle.id);
  for (;;) {
    try {
      await workflow.result();
      break;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      await new Promise((r) => setTimeout(r, 20)); // still being handed over
    }
  }
  await writeFile(out, `${JSON.stringify(JSON.parse(historyToJSON(await workflow.fetchHistory())))}\n`);
} finally {
  await stack.close();
  await connection.close();
  await worker.stop();
  await rm(project.root, { recursive: true, force: true });
}
