// docs/concepts.md#where-artifact-bytes-live: small values sit in their metadata row, the rest in the store.
import { Client, pipeline, type Stack, step, t } from '@strata/core';

export const evaluate = step({
  name: 'evaluate',
  outputs: { accuracy: t.number(), weights: t.typedArray<Float64Array>() },
  run: () => ({ accuracy: 0.97, weights: new Float64Array(10_000).fill(0.5) }),
});

export const evaluation = pipeline({ name: 'evaluation', body: () => void evaluate() });

export async function whereArtifactsLive(stack: Stack, runId: string) {
  const outputs = (await new Client(stack).run(runId)).step('evaluate');
  const accuracy = await outputs.output('accuracy').artifact(); // 4 bytes: kept inline
  const weights = await outputs.output('weights').artifact(); // 80 KB: in the artifact store
  return {
    accuracy: { inline: accuracy.inline, value: await accuracy.load<number>() },
    weights: { inline: weights.inline, storeKey: weights.record.storeKey, size: weights.record.size },
  };
}
