/**
 * `pnpm start`: trains the cars MPG model on the project's active stack (the gate promotes it when its
 * RMSE beats production's), then serves the production version and asks one prediction.
 */
import { serveModel } from '@strata/ml';
import { openStack } from '@strata/project';
import { cars, MODEL } from './pipeline.js';

const stack = await openStack();
const run = await (await cars.run({ stack })).wait();
console.log(`run ${run.name}: ${run.status}`);
if (run.status !== 'completed') {
  console.error(run.error);
  await stack.close();
  process.exit(1);
}
const server = await serveModel(stack, { model: `${MODEL}@production`, options: { pollMs: 0 } });
try {
  const response = await fetch(`${server.url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      rows: [
        {
          Cylinders: 4,
          Displacement: 97,
          Horsepower: 88,
          Weight_in_lbs: 2130,
          Acceleration: 14.5,
          Year: '1970-01-01',
          Origin: 'Japan',
        },
      ],
    }),
  });
  console.log(
    `v${server.servedVersion()} predicts (mpg)`,
    ((await response.json()) as { predictions: unknown }).predictions,
  );
} finally {
  await server.stop();
  await stack.close();
}
