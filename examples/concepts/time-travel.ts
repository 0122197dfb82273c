// docs/concepts.md#the-client: any past run's artifacts, logs, metadata, cache reasons and lineage.
import { Client, type Stack } from '@strata/core';

export async function describeLatest(stack: Stack) {
  const client = new Client(stack);
  const run = await client.pipeline('tournament').latestRun();
  const best = run.step('best');
  const value = await best.output('value').load<number>();
  const scores = await run.step('score').output('value').load<number[]>(); // a mapped step: a list
  const model = await best.output('value').artifact();
  const lineage = await model.lineage();
  return {
    run: run.name,
    value,
    scores,
    reason: best.cacheReason,
    producedBy: lineage.upstream.producer?.nodeId,
    fromInputs: lineage.upstream.inputs.map((i) => i.name),
    readBy: lineage.downstream.map((d) => d.consumer.nodeId),
  };
}
