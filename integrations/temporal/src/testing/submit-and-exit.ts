/** Submits the slow pipeline on the `temporal` stack of the project in the cwd, prints the run id, exits. */
import { openStack } from '@strata/project';
import { slowPipeline } from './slow-pipeline.js';

const [markerDir, ms] = process.argv.slice(2);
const stack = await openStack({ stack: 'temporal' });
const handle = await slowPipeline.run({ stack, params: { markerDir: markerDir!, ms: Number(ms) } });
process.stdout.write(`run ${handle.id}\n`);
await stack.close();
