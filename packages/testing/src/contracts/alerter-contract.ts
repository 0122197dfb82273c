import type { AlertEvent, Alerter } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface AlerterHarness {
  readonly alerter: Alerter;
  /** The events the receiving end got so far (parsed back from the file, the request bodies, ...). */
  received(): Promise<readonly Pick<AlertEvent, 'kind' | 'title' | 'fields'>[]>;
  cleanup(): Promise<void>;
}

const event = (n: number): AlertEvent => ({
  kind: 'run_failed',
  severity: 'error',
  title: `run r-${n} of train failed`,
  text: 'step train failed: boom',
  fields: { run: `r-${n}`, pipeline: 'train', attempt: n },
  at: Date.now(),
});

/** The behaviour every Alerter flavor must have: each event arrives once, whole, in send order. */
export function describeAlerterContract(name: string, setup: () => Promise<AlerterHarness>): void {
  describe(`Alerter contract: ${name}`, () => {
    let h: AlerterHarness;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(() => h?.cleanup());

    it('delivers each event once, with its kind, title and fields, in the order sent', async () => {
      for (const n of [1, 2, 3]) await h.alerter.send(event(n));
      const got = await h.received();
      expect(got.map((e) => e.title)).toEqual([
        'run r-1 of train failed',
        'run r-2 of train failed',
        'run r-3 of train failed',
      ]);
      expect(got[1]).toMatchObject({
        kind: 'run_failed',
        fields: { run: 'r-2', pipeline: 'train', attempt: 2 },
      });
    });
  });
}
