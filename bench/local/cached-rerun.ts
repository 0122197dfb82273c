/**
 * A fully cached re-run of a 100-step pipeline, end to end in process (compile, submit, every cache
 * lookup, wait): target <= 200 ms.
 */
import { chainOf } from './chain.js';
import { createTemporaryStack, fmt, machine, runOnce, table } from './support.js';

const N = 100;
const hundred = chainOf('bench-cached', N);

export async function run(): Promise<void> {
  const temp = await createTemporaryStack();
  try {
    const first = await runOnce(hundred, temp.stack);
    const rows: (string | number)[][] = [
      ['first run (all executed)', fmt(first.totalMs, 0), fmt(first.cpuMs, 0), ''],
    ];
    for (let i = 1; i <= 5; i++) {
      const again = await runOnce(hundred, temp.stack);
      const steps = await temp.stack.database.listStepRuns(again.run.id);
      const cached = steps.filter((s) => s.status === 'cached').length;
      rows.push([`cached re-run #${i}`, fmt(again.totalMs, 0), fmt(again.cpuMs, 0), `${cached}/${N}`]);
    }
    console.log(`\nFully cached re-run of a ${N}-step chain, end to end in process (target <= 200 ms)`);
    console.log(`machine: ${machine()}\n`);
    table(['run', 'wall ms', 'CPU ms', 'cached steps'], rows);
  } finally {
    await temp.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
