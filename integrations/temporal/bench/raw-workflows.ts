/** The baseline: a plain Temporal workflow calling a no-op activity `length` times in sequence. */
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(n: number): Promise<number> }>({ startToCloseTimeout: '1 minute' });

export async function rawChain(length: number): Promise<number> {
  let n = 0;
  for (let i = 0; i < length; i++) n = await noop(n);
  return n;
}
