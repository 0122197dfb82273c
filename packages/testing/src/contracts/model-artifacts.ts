import { randomBytes } from 'node:crypto';
import { type ArtifactRecord, pipeline, type Stack, step, t } from '@strata/core';
import { z } from 'zod';

/** Bytes per model: above the inline limit, so each one is a blob in the artifact store. */
const MODEL_BYTES = 32 * 1024;

const produce = step({
  name: 'produce',
  outputs: { model: t.bytes() },
  params: z.object({ i: z.number() }),
  run: () => ({ model: randomBytes(MODEL_BYTES) }),
});

const models = pipeline({
  name: 'contract-models',
  body: () => {
    for (const i of [0, 1, 2, 3]) produce({}, { id: `produce-${i}`, params: { i } });
  },
});

/**
 * Runs a tiny pipeline on `stack` and returns four model artifacts (rows in its metadata store, bytes
 * in its artifact store) for a model registry to register.
 */
export async function modelArtifacts(stack: Stack): Promise<ArtifactRecord[]> {
  const run = await (await models.run({ stack, noCache: true })).wait();
  if (run.status !== 'completed')
    throw new Error(`contract-models run ${run.id} ${run.status}: ${run.error}`);
  const out: ArtifactRecord[] = [];
  for (const s of await stack.database.listStepRuns(run.id)) {
    for (const e of await stack.database.stepRunEvents(s.id)) if (e.type === 'output') out.push(e.artifact);
  }
  return out;
}
