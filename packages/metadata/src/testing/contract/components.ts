import { expect, it } from 'vitest';
import { componentRecord } from '../fixtures.js';
import { type ContractContext, expectStrataError } from './context.js';

export function componentsContract(ctx: ContractContext): void {
  it('creates, reads and lists components by type', async () => {
    const store = componentRecord('artifact_store', 'local', { config: { path: '/data', nested: { n: 1 } } });
    await ctx.db().createComponent(store);
    await ctx.db().createComponent(componentRecord('orchestrator', 'local', { flavor: 'local' }));
    await ctx
      .db()
      .createComponent(componentRecord('orchestrator', 'docker', { flavor: 'docker', config: null }));
    expect(await ctx.db().getComponent('artifact_store', 'local')).toEqual(store);
    expect(await ctx.db().getComponent('artifact_store', 'nope')).toBeUndefined();
    expect((await ctx.db().listComponents()).map((c) => `${c.type}/${c.name}`)).toEqual([
      'artifact_store/local',
      'orchestrator/docker',
      'orchestrator/local',
    ]);
    expect((await ctx.db().listComponents('orchestrator')).map((c) => c.name)).toEqual(['docker', 'local']);
    expect((await ctx.db().getComponent('orchestrator', 'docker'))?.config).toBeNull();
  });

  it('refuses a duplicate name (per type) and bad names, changing nothing', async () => {
    await ctx.db().createComponent(componentRecord('orchestrator', 'local'));
    const error = await expectStrataError(
      ctx.db().createComponent(componentRecord('orchestrator', 'local', { flavor: 'docker' })),
      'duplicate_name',
    );
    expect(error.message).toContain('local');
    expect((await ctx.db().getComponent('orchestrator', 'local'))?.flavor).toBe('local');
    await ctx.db().createComponent(componentRecord('artifact_store', 'local'));
    await expectStrataError(
      ctx.db().createComponent(componentRecord('orchestrator', ' padded')),
      'invalid_name',
    );
    await expectStrataError(ctx.db().createComponent(componentRecord('orchestrator', '')), 'invalid_name');
    expect(await ctx.db().listComponents('orchestrator')).toHaveLength(1);
  });

  it('updates flavor and config, and refuses an unknown component', async () => {
    await ctx.db().createComponent(componentRecord('orchestrator', 'local'));
    await ctx.db().updateComponent('orchestrator', 'local', { config: { workers: 4 } });
    const updated = await ctx.db().getComponent('orchestrator', 'local');
    expect(updated).toMatchObject({ flavor: 'local', config: { workers: 4 }, createdAt: 1 });
    expect(updated!.updatedAt).toBeGreaterThan(1);
    await ctx.db().updateComponent('orchestrator', 'local', { flavor: 'docker' });
    expect(await ctx.db().getComponent('orchestrator', 'local')).toMatchObject({
      flavor: 'docker',
      config: { workers: 4 },
    });
    await expectStrataError(
      ctx.db().updateComponent('orchestrator', 'ghost', { config: {} }),
      'unknown_component',
    );
  });

  it('renames a component (stacks follow) and refuses unknown or taken names', async () => {
    await ctx.db().createComponent(componentRecord('orchestrator', 'local'));
    await ctx.db().createComponent(componentRecord('orchestrator', 'docker'));
    await ctx
      .db()
      .createStack({ name: 'dev', components: { orchestrator: 'local' }, createdAt: 1, updatedAt: 1 });
    await ctx.db().renameComponent('orchestrator', 'local', 'laptop');
    expect(await ctx.db().getComponent('orchestrator', 'local')).toBeUndefined();
    expect(await ctx.db().getComponent('orchestrator', 'laptop')).toMatchObject({
      name: 'laptop',
      flavor: 'local',
    });
    expect((await ctx.db().getStack('dev'))?.components).toEqual({ orchestrator: 'laptop' });
    await expectStrataError(ctx.db().renameComponent('orchestrator', 'laptop', 'docker'), 'duplicate_name');
    await expectStrataError(ctx.db().renameComponent('orchestrator', 'ghost', 'x'), 'unknown_component');
    expect((await ctx.db().listComponents()).map((c) => c.name)).toEqual(['docker', 'laptop']);
  });

  it('deletes a component unless a stack uses it, naming those stacks and the fix', async () => {
    await ctx.db().createComponent(componentRecord('orchestrator', 'local'));
    await ctx.db().createComponent(componentRecord('artifact_store', 'local'));
    await ctx
      .db()
      .createStack({ name: 'dev', components: { orchestrator: 'local' }, createdAt: 1, updatedAt: 1 });
    await ctx
      .db()
      .createStack({ name: 'ci', components: { orchestrator: 'local' }, createdAt: 1, updatedAt: 1 });
    const error = await expectStrataError(
      ctx.db().deleteComponent('orchestrator', 'local'),
      'component_in_use',
    );
    expect(error.message).toContain('"ci"');
    expect(error.message).toContain('"dev"');
    expect(error.fix).toContain('strata stack');
    expect(await ctx.db().getComponent('orchestrator', 'local')).toBeDefined();
    await ctx.db().deleteComponent('artifact_store', 'local');
    expect(await ctx.db().getComponent('artifact_store', 'local')).toBeUndefined();
    await expectStrataError(ctx.db().deleteComponent('artifact_store', 'local'), 'unknown_component');
    await ctx.db().deleteStack('dev');
    await ctx.db().deleteStack('ci');
    await ctx.db().deleteComponent('orchestrator', 'local');
    expect(await ctx.db().listComponents()).toEqual([]);
  });
}
