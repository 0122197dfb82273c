/** `pnpm --filter @strata-examples/quickstart start`: runs the quickstart on the project's active stack. */
import '@strata/project';
import { quickstart } from './pipeline.js';

const handle = await quickstart.run();
const run = await handle.wait();
if (run.status !== 'completed') {
  console.error(`run ${run.id} ${run.status}: ${run.error}`);
  process.exit(1);
}
const accuracy = await handle.output<number>('evaluate', 'accuracy');
console.log(`run ${run.id} (${run.name}) completed: accuracy ${(accuracy * 100).toFixed(1)}%`);
