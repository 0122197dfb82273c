import { expect, it } from 'vitest';
import { artifactRecord, runRecord, stepRunRecord } from '../fixtures.js';
import { type ContractContext, expectStrataError } from './context.js';

export function modelRegistryContract(ctx: ContractContext): void {
  const seed = async (artifacts = 3) => {
    await ctx.db().createRun(runRecord('r1'), [stepRunRecord('train', 'r1')]);
    await ctx.db().completeStepRun({
      stepRunId: 'train',
      status: 'completed',
      patch: {},
      artifacts: Array.from({ length: artifacts }, (_, i) =>
        artifactRecord(`m${i + 1}`, 'train', { kind: 'model' }),
      ),
      events: [],
      metadata: [],
    });
  };
  const version = (artifactId: string, extra: { description?: string } = {}) => ({
    model: 'iris',
    artifactId,
    runId: 'r1',
    metrics: { accuracy: 0.9 },
    metadata: { framework: 'rf' },
    ...extra,
  });

  it('registers versions 1, 2, 3 and reads them back', async () => {
    await seed();
    const v1 = await ctx.db().registerModelVersion(version('m1', { description: 'iris classifier' }));
    expect(v1).toMatchObject({
      model: 'iris',
      version: 1,
      artifactId: 'm1',
      runId: 'r1',
      metrics: { accuracy: 0.9 },
    });
    expect(
      (await ctx.db().registerModelVersion({ ...version('m2'), runId: null, metrics: null })).version,
    ).toBe(2);
    expect((await ctx.db().registerModelVersion(version('m3'))).version).toBe(3);
    expect(await ctx.db().getModelVersion('iris', 1)).toEqual(v1);
    expect(await ctx.db().getModelVersion('iris', 9)).toBeUndefined();
    expect((await ctx.db().listModelVersions('iris')).map((v) => [v.version, v.artifactId, v.runId])).toEqual(
      [
        [1, 'm1', 'r1'],
        [2, 'm2', null],
        [3, 'm3', 'r1'],
      ],
    );
    const [model] = await ctx.db().listModels();
    expect(model).toMatchObject({
      name: 'iris',
      description: 'iris classifier',
      latestVersion: 3,
      aliases: {},
    });
    expect(await ctx.db().listModelVersions('none')).toEqual([]);
  });

  it('refuses an unknown artifact without using up a version number', async () => {
    await seed();
    await expectStrataError(ctx.db().registerModelVersion(version('ghost')), 'unknown_artifact');
    expect(await ctx.db().listModels()).toEqual([]);
    expect((await ctx.db().registerModelVersion(version('m1'))).version).toBe(1);
    await expectStrataError(ctx.db().registerModelVersion({ ...version('m1'), model: '' }), 'invalid_name');
  });

  it('gives concurrent registrations distinct, consecutive version numbers', async () => {
    await seed(1);
    const versions = await Promise.all(
      Array.from({ length: 20 }, () => ctx.db().registerModelVersion(version('m1'))),
    );
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect((await ctx.db().listModels())[0]?.latestVersion).toBe(20);
  });

  it('moves aliases, recording the previous version and the history', async () => {
    await seed();
    for (const id of ['m1', 'm2', 'm3']) await ctx.db().registerModelVersion(version(id));
    const change = {
      model: 'iris',
      alias: 'production',
      action: 'promote' as const,
      reason: 'better',
      actor: 'ci',
    };
    const first = await ctx.db().setAlias({ ...change, version: 1 });
    expect(first).toMatchObject({ ...change, version: 1, previousVersion: null });
    expect(typeof first.at).toBe('number');
    await ctx.db().setAlias({ ...change, version: 3 });
    await ctx.db().setAlias({ ...change, alias: 'staging', version: 2 });
    const back = await ctx.db().setAlias({ ...change, version: 1, action: 'rollback', reason: 'regression' });
    expect(back).toMatchObject({ version: 1, previousVersion: 3, action: 'rollback' });
    expect(await ctx.db().getAlias('iris', 'production')).toBe(1);
    expect(await ctx.db().getAlias('iris', 'staging')).toBe(2);
    expect(await ctx.db().getAlias('iris', 'none')).toBeUndefined();
    expect(
      (await ctx.db().aliasHistory('iris', 'production')).map((c) => [
        c.version,
        c.previousVersion,
        c.action,
      ]),
    ).toEqual([
      [1, null, 'promote'],
      [3, 1, 'promote'],
      [1, 3, 'rollback'],
    ]);
    expect((await ctx.db().aliasHistory('iris')).map((c) => c.alias)).toEqual([
      'production',
      'production',
      'staging',
      'production',
    ]);
    expect((await ctx.db().listModels())[0]?.aliases).toEqual({ production: 1, staging: 2 });
  });

  it('refuses an alias on an unknown model or version, changing nothing', async () => {
    await seed();
    await ctx.db().registerModelVersion(version('m1'));
    const change = {
      model: 'iris',
      alias: 'production',
      action: 'promote' as const,
      reason: '',
      actor: 'me',
    };
    await expectStrataError(ctx.db().setAlias({ ...change, model: 'ghost', version: 1 }), 'unknown_model');
    await expectStrataError(ctx.db().setAlias({ ...change, version: 7 }), 'unknown_model_version');
    await expectStrataError(
      ctx.db().setAlias({ ...change, version: 1, action: 'demote' as unknown as 'promote' }),
      'invalid_alias_action',
    );
    expect(await ctx.db().getAlias('iris', 'production')).toBeUndefined();
    expect(await ctx.db().aliasHistory('iris')).toEqual([]);
  });

  it('keeps the alias history exact under concurrent moves', async () => {
    await seed();
    for (const id of ['m1', 'm2', 'm3']) await ctx.db().registerModelVersion(version(id));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ctx.db().setAlias({
          model: 'iris',
          alias: 'live',
          version: (i % 3) + 1,
          action: 'promote',
          reason: '',
          actor: `a${i}`,
        }),
      ),
    );
    const history = await ctx.db().aliasHistory('iris', 'live');
    expect(history).toHaveLength(12);
    for (const [i, change] of history.entries()) {
      expect(change.previousVersion).toBe(i === 0 ? null : history[i - 1]!.version);
    }
    expect(await ctx.db().getAlias('iris', 'live')).toBe(history[11]!.version);
  });
}
