/**
 * The whole continuous-training loop on the local stack, unattended, through the built CLI in a temp
 * project made from examples/continuous-training: `strata agent` fires the triggers and starts each run
 * as a `strata run` child; `strata serve` is a real process; alerts go to a real HTTP receiver on
 * loopback through the webhook alerter. The loop itself is continuous-training-loop.ts (shared with the
 * Temporal spec, continuous-training-loop.int.spec.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLoopHarness,
  type LoopHarness,
  runWholeLoop,
  setUpTriggers,
  until,
} from './continuous-training-loop.js';
import { ensureBuilt } from './temp-project.js';

describe('continuous training, the whole loop (agent + serve + webhook, built CLI)', {
  timeout: 900_000,
}, () => {
  let h: LoopHarness;

  beforeAll(async () => {
    ensureBuilt();
    h = await createLoopHarness();
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('new CSV -> train -> gate -> promote -> serve swaps -> degraded -> rollback + alert -> retraining', async () => {
    setUpTriggers(h, 'default');
    const agent = h.spawnStrata('agent', '--tick', '1s');
    await until('the agent to evaluate', () => (h.log().includes('evaluating') ? true : undefined));

    const { serve } = await runWholeLoop(h, 'default');

    for (const child of [agent, serve]) child.kill('SIGINT');
    await until('agent and server to stop', () =>
      agent.exitCode !== null && serve.exitCode !== null ? true : undefined,
    );
    expect(agent.exitCode, h.log().slice(-3000)).toBe(0);
  });
});
