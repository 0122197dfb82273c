import { randomUUID } from 'node:crypto';
import { type ArtifactRecord, isStrataError, type ModelRegistry } from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface ModelRegistryHarness {
  readonly registry: ModelRegistry;
  /** At least four artifacts (rows + bytes) of the stack the registry belongs to: see `modelArtifacts`. */
  readonly artifacts: readonly ArtifactRecord[];
  /**
   * Deletes the bytes of an artifact from the stack's artifact store (`store.delete(artifact.storeKey)`):
   * every registry must refuse to register such an artifact or point an alias at its version.
   */
  readonly loseBytes: (artifact: ArtifactRecord) => Promise<void>;
  cleanup(): Promise<void>;
}

const rejectsWith = async (work: Promise<unknown>, code: string) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStrataError(error), `expected a StrataError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
};

/**
 * The behaviour every ModelRegistry flavor must have, as a vitest `describe` block: versions in
 * registration order, aliases with their full history, rollback walking back, concurrent promotions
 * ending consistent, and StrataErrors with the documented codes. Each test uses fresh model names.
 */
export function describeModelRegistryContract(
  name: string,
  setup: () => Promise<ModelRegistryHarness>,
): void {
  describe(`ModelRegistry contract: ${name}`, () => {
    let h: ModelRegistryHarness;
    const prefix = `contract-${randomUUID().slice(0, 8)}`;
    let n = 0;
    const fresh = () => `${prefix}-${++n}`;
    const actor = 'user:contract';

    beforeAll(async () => {
      h = await setup();
      expect(h.artifacts.length).toBeGreaterThanOrEqual(4);
    });
    afterAll(() => h?.cleanup());

    it('numbers versions in registration order and keeps their run, artifact, metrics and metadata', async () => {
      const model = fresh();
      const [a, b] = h.artifacts as [ArtifactRecord, ArtifactRecord];
      const v1 = await h.registry.register({
        model,
        artifactId: a.id,
        runId: null,
        metrics: { accuracy: 0.9 },
        metadata: { adapter: 'contract', params: { trees: 3 } },
        description: 'first',
      });
      const v2 = await h.registry.register({ model, artifactId: b.id, metrics: { accuracy: 0.95 } });
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(v1).toMatchObject({ model, artifactId: a.id, metrics: { accuracy: 0.9 } });
      expect(v1.metadata).toEqual({ adapter: 'contract', params: { trees: 3 } });
      const versions = await h.registry.versions(model);
      expect(versions.map((v) => [v.version, v.artifactId])).toEqual([
        [1, a.id],
        [2, b.id],
      ]);
      expect(versions[1]?.metrics).toEqual({ accuracy: 0.95 });
      expect((await h.registry.resolve(model)).version).toBe(2);
      expect((await h.registry.resolve(`${model}@1`)).artifactId).toBe(a.id);
      expect((await h.registry.artifact(v2)).id).toBe(b.id);
      const listed = (await h.registry.listModels()).find((m) => m.name === model);
      expect(listed).toMatchObject({ name: model, latestVersion: 2, aliases: {} });
      expect(await h.registry.versions(`${prefix}-never-registered`)).toEqual([]);
    });

    it('moves aliases and records every move with who, why and the version before', async () => {
      const model = fresh();
      for (const a of h.artifacts.slice(0, 3)) await h.registry.register({ model, artifactId: a.id });
      expect(await h.registry.aliasVersion(model, 'production')).toBeUndefined();
      const first = await h.registry.promote(model, 1, { reason: 'initial', actor });
      expect(first).toMatchObject({ model, alias: 'production', version: 1, previousVersion: null });
      expect(first.action).toBe('promote');
      const second = await h.registry.promote(model, 2, { reason: 'better', actor: 'pipeline:train/r-1' });
      expect(second).toMatchObject({
        version: 2,
        previousVersion: 1,
        reason: 'better',
        actor: 'pipeline:train/r-1',
      });
      await h.registry.promote(model, 3, { alias: 'staging', reason: 'canary', actor });
      expect(await h.registry.aliasVersion(model, 'production')).toBe(2);
      expect(await h.registry.aliasVersion(model, 'staging')).toBe(3);
      expect((await h.registry.resolve(`${model}@production`)).version).toBe(2);
      expect((await h.registry.resolve(`${model}@staging`)).version).toBe(3);
      const history = await h.registry.history(model);
      expect(history.map((c) => [c.alias, c.version, c.previousVersion, c.action])).toEqual([
        ['production', 1, null, 'promote'],
        ['production', 2, 1, 'promote'],
        ['staging', 3, null, 'promote'],
      ]);
      expect((await h.registry.history(model, 'staging')).map((c) => c.version)).toEqual([3]);
      expect(history.every((c) => typeof c.at === 'number' && c.at > 0)).toBe(true);
      const listed = (await h.registry.listModels()).find((m) => m.name === model);
      expect(listed?.aliases).toEqual({ production: 2, staging: 3 });
    });

    it('rolls back step by step, and says when there is nothing left to roll back to', async () => {
      const model = fresh();
      for (const a of h.artifacts.slice(0, 3)) await h.registry.register({ model, artifactId: a.id });
      for (const v of [1, 2, 3]) await h.registry.promote(model, v, { reason: `v${v}`, actor });
      const back = await h.registry.rollback(model, { reason: 'bad canary', actor });
      expect(back).toMatchObject({
        version: 2,
        previousVersion: 3,
        action: 'rollback',
        reason: 'bad canary',
      });
      expect((await h.registry.rollback(model, { reason: 'still bad', actor })).version).toBe(1);
      expect(await h.registry.aliasVersion(model, 'production')).toBe(1);
      await rejectsWith(h.registry.rollback(model, { reason: 'again', actor }), 'nothing_to_roll_back');
      expect(await h.registry.aliasVersion(model, 'production')).toBe(1);
      expect((await h.registry.history(model, 'production')).map((c) => c.action)).toEqual([
        'promote',
        'promote',
        'promote',
        'rollback',
        'rollback',
      ]);
    });

    it('ends consistent after concurrent promotions: the alias is the last move of its history', async () => {
      const model = fresh();
      for (const a of h.artifacts.slice(0, 4)) await h.registry.register({ model, artifactId: a.id });
      await Promise.all(
        [1, 2, 3, 4].map((v) => h.registry.promote(model, v, { reason: `race ${v}`, actor })),
      );
      const history = await h.registry.history(model, 'production');
      expect(history.map((c) => c.version).sort()).toEqual([1, 2, 3, 4]);
      expect(await h.registry.aliasVersion(model, 'production')).toBe(history.at(-1)?.version);
      // previousVersion chains through the history as recorded
      for (let i = 1; i < history.length; i++)
        expect(history[i]?.previousVersion).toBe(history[i - 1]?.version);
    });

    it('names unknown models, versions and aliases with StrataErrors', async () => {
      const model = fresh();
      await h.registry.register({ model, artifactId: h.artifacts[0]!.id });
      await rejectsWith(h.registry.resolve(`${model}@production`), 'unknown_model_alias');
      await rejectsWith(h.registry.resolve(`${model}@7`), 'unknown_model_version');
      await rejectsWith(h.registry.resolve(`${prefix}-nope`), 'unknown_model_version');
      await rejectsWith(h.registry.resolve('not a ref!'), 'invalid_model_ref');
      await rejectsWith(h.registry.register({ model, artifactId: 'a-does-not-exist' }), 'unknown_artifact');
      expect((await h.registry.versions(model)).length).toBe(1);
    });

    it('never points an alias at a version whose bytes are missing', async () => {
      const model = fresh();
      const [kept, lost] = h.artifacts.slice(2, 4) as [ArtifactRecord, ArtifactRecord];
      await h.registry.register({ model, artifactId: kept.id });
      await h.registry.register({ model, artifactId: lost.id });
      await h.registry.promote(model, 1, { reason: 'good', actor });
      await h.loseBytes(lost);
      await rejectsWith(h.registry.promote(model, 2, { reason: 'gone', actor }), 'missing_artifact_bytes');
      expect(await h.registry.aliasVersion(model, 'production')).toBe(1);
      await rejectsWith(h.registry.register({ model, artifactId: lost.id }), 'missing_artifact_bytes');
      expect((await h.registry.versions(model)).map((v) => v.version)).toEqual([1, 2]);
    });
  });
}
