import type { SourceFingerprinter, Stack } from '@strata/core';
import { type FiringRecord, SourceFingerprints, type TriggerRecord } from '@strata/core/plugin';
import { Agent, firingParams, type RunLauncher, sourceVersion, validateCondition } from '@strata/project';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryStack, type TemporaryStack } from '../temporary-stack.js';

export interface NewDataTriggerHarness {
  /** The store's fingerprinter (the plugin's), and the store config it reuses (endpoint, credentials). */
  readonly fingerprinter: SourceFingerprinter;
  readonly store: { readonly flavor: string; readonly config: Readonly<Record<string, unknown>> };
  /** `s3://bucket`, `gs://bucket`, `az://container`: where this suite writes (under a fresh prefix). */
  readonly root: string;
  /** A prefix in a bucket or container that does not exist. */
  readonly unreachable: string;
  /** Writes (or overwrites) an object at `key` under the root. */
  put(key: string, body: string): Promise<void>;
}

/**
 * New-data triggers on an object-store prefix, against the store's real server on loopback: an object
 * added or changed fires one run whose parameter is the new data version (the same digest a step
 * reading that source sees), whichever of two agents looks; a bucket that cannot be listed is refused
 * at create time with field, value and fix.
 */
export function describeNewDataTriggerSuite(name: string, setup: () => Promise<NewDataTriggerHarness>): void {
  describe(`new-data triggers on ${name} (real server on loopback)`, () => {
    let h: NewDataTriggerHarness;
    let temp: TemporaryStack;
    let stack: Stack;
    const prefix = `ct-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const agents: Agent[] = [];

    beforeAll(async () => {
      h = await setup();
      temp = await createTemporaryStack();
      const sources = new SourceFingerprints({
        projectRoot: temp.root,
        fingerprinters: [h.fingerprinter],
        store: h.store,
      });
      stack = { ...temp.stack, sources };
    });
    afterAll(async () => {
      for (const a of agents) await a.stop();
      await temp?.cleanup();
    });

    it('refuses a prefix that cannot be listed at create time; an empty prefix waits for data', async () => {
      const refused = await validateCondition({ kind: 'new_data', source: h.unreachable }, stack).catch(
        (e: unknown) => e,
      );
      expect(refused).toMatchObject({
        code: 'source_unreachable',
        field: 'source',
        value: expect.any(String),
      });
      expect((refused as { fix?: string }).fix).toMatch(/credentials|bucket|container/);
      const empty = `${h.root}/${prefix}/nothing-yet/`;
      await validateCondition({ kind: 'new_data', source: empty }, stack);
      expect(await sourceVersion(empty, stack)).toMatchObject({ digest: 'empty', count: 0 });
    });

    it('an object added, then changed, starts one run each with the new version, whoever looks', async () => {
      const source = `${h.root}/${prefix}/incoming/*.csv`;
      await h.put(`${prefix}/incoming/seed.csv`, 'x\n0\n');
      const trigger: TriggerRecord = {
        name: `on-${prefix}`,
        kind: 'new_data',
        target: { module: 'train.ts', pipeline: 'train', params: {} },
        condition: { kind: 'new_data', source, param: 'data', pollMs: 100 },
        overlap: 'allow',
        paused: false,
        firedBy: 'agent',
        cursor: (await sourceVersion(source, stack)) as never,
        createdAt: Date.now(),
        updatedAt: Date.now(),
      };
      await stack.database.createTrigger(trigger);
      const launched: FiringRecord[] = [];
      const launcher: RunLauncher = { launch: async (_t, firing) => void launched.push(firing) };
      const [a, b] = [0, 1].map(() => {
        const agent = new Agent({ stack, launcher, log: () => {} });
        agents.push(agent);
        return agent;
      }) as [Agent, Agent];
      let clock = Date.now();
      const both = async () => {
        clock += 1000;
        await Promise.all([a.tick(clock), b.tick(clock)]);
      };

      await both();
      expect(launched).toHaveLength(0);
      // Not matched by the glob: no firing.
      await h.put(`${prefix}/incoming/notes.txt`, 'not data');
      await both();
      expect(launched).toHaveLength(0);

      await h.put(`${prefix}/incoming/day-1.csv`, 'x\n1\n');
      await both();
      await both();
      expect(launched).toHaveLength(1);
      const added = launched[0]!;
      expect(added.evidence).toMatchObject({ uri: source, added: ['day-1.csv'], changed: [], count: 2 });
      // The run's parameter is the version a step reading source(...) sees.
      const seen = await stack.sources!.fingerprint({ uri: `${h.root}/${prefix}/incoming/`, glob: '*.csv' });
      expect(firingParams(trigger.condition, added.evidence)).toMatchObject({
        data: { digest: seen.digest },
      });

      await h.put(`${prefix}/incoming/day-1.csv`, 'x\n1\n2\n');
      await both();
      await both();
      expect(launched).toHaveLength(2);
      expect(launched[1]!.evidence).toMatchObject({ added: [], changed: ['day-1.csv'] });
      const firings = await stack.database.listFirings({ trigger: trigger.name });
      expect(firings.map((f) => f.dedupeKey).sort()).toEqual(launched.map((f) => f.dedupeKey).sort());
      expect(new Set(launched.map((f) => f.runId)).size).toBe(2);
    });
  });
}
