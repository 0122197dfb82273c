/** Trains and pushes the penguins model on the project's active stack, then serves it and asks one prediction. */
import { serveModel } from '@strata/ml';
import { openStack } from '@strata/project';
import { MODEL, penguins } from './pipeline.js';

const stack = await openStack();
const run = await (await penguins.run({ stack })).wait();
console.log(`run ${run.name}: ${run.status}`);
const server = await serveModel(stack, { model: `${MODEL}@production`, options: { pollMs: 0 } });
const response = await fetch(`${server.url}/predict`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    rows: [
      {
        Island: 'Biscoe',
        'Beak Length (mm)': 47.5,
        'Beak Depth (mm)': 15,
        'Flipper Length (mm)': 218,
        'Body Mass (g)': 4950,
      },
    ],
  }),
});
console.log(
  `v${server.servedVersion()} predicts`,
  ((await response.json()) as { predictions: unknown }).predictions,
);
await server.stop();
await stack.close();
