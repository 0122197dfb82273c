import type { StackRecord } from '@strata/core/plugin';
import { expect, it } from 'vitest';
import { componentRecord } from '../fixtures.js';
import { type ContractContext, expectStrataError } from './context.js';

export function stacksContract(ctx: ContractContext): void {
  const seed = async () => {
    await ctx.db().createComponent(componentRecord('orchestrator', 'local'));
    await ctx.db().createComponent(componentRecord('orchestrator', 'docker'));
    await ctx.db().createComponent(componentRecord('artifact_store', 'local'));
  };
  const stack = (name: string, components: Record<string, string>): StackRecord => ({
    name,
    components,
    createdAt: 3,
    updatedAt: 3,
  });

  it('creates, reads and lists stacks', async () => {
    await seed();
    const dev = stack('dev', { orchestrator: 'local', artifact_store: 'local' });
    await ctx.db().createStack(dev);
    await ctx.db().createStack(stack('empty', {}));
    expect(await ctx.db().getStack('dev')).toEqual(dev);
    expect(await ctx.db().getStack('nope')).toBeUndefined();
    expect(await ctx.db().listStacks()).toEqual([dev, stack('empty', {})]);
  });

  it('refuses a stack with an unknown component or a taken name, changing nothing', async () => {
    await seed();
    const error = await expectStrataError(
      ctx.db().createStack(stack('prod', { orchestrator: 'local', artifact_store: 's3' })),
      'unknown_component',
    );
    expect(error.field).toBe('components.artifact_store');
    expect(error.message).toContain('s3');
    expect(await ctx.db().getStack('prod')).toBeUndefined();
    await ctx.db().createStack(stack('dev', { orchestrator: 'local' }));
    await expectStrataError(ctx.db().createStack(stack('dev', { orchestrator: 'docker' })), 'duplicate_name');
    expect((await ctx.db().getStack('dev'))?.components).toEqual({ orchestrator: 'local' });
    expect((await ctx.db().listStacks()).map((s) => s.name)).toEqual(['dev']);
  });

  it('updates the components of a stack, refusing unknown stacks and components', async () => {
    await seed();
    await ctx.db().createStack(stack('dev', { orchestrator: 'local' }));
    await ctx.db().updateStack('dev', { orchestrator: 'docker', artifact_store: 'local' });
    const updated = await ctx.db().getStack('dev');
    expect(updated?.components).toEqual({ orchestrator: 'docker', artifact_store: 'local' });
    expect(updated!.updatedAt).toBeGreaterThan(3);
    await expectStrataError(ctx.db().updateStack('dev', { orchestrator: 'ghost' }), 'unknown_component');
    expect((await ctx.db().getStack('dev'))?.components).toEqual({
      orchestrator: 'docker',
      artifact_store: 'local',
    });
    await expectStrataError(ctx.db().updateStack('ghost', { orchestrator: 'local' }), 'unknown_stack');
  });

  it('renames and deletes stacks', async () => {
    await seed();
    await ctx.db().createStack(stack('dev', { orchestrator: 'local' }));
    await ctx.db().createStack(stack('ci', { orchestrator: 'docker' }));
    await ctx.db().renameStack('dev', 'laptop');
    expect(await ctx.db().getStack('dev')).toBeUndefined();
    expect((await ctx.db().getStack('laptop'))?.components).toEqual({ orchestrator: 'local' });
    await expectStrataError(ctx.db().renameStack('laptop', 'ci'), 'duplicate_name');
    await expectStrataError(ctx.db().renameStack('ghost', 'x'), 'unknown_stack');
    await ctx.db().deleteStack('laptop');
    expect((await ctx.db().listStacks()).map((s) => s.name)).toEqual(['ci']);
    await expectStrataError(ctx.db().deleteStack('laptop'), 'unknown_stack');
    // Its component is free again.
    await ctx.db().deleteComponent('orchestrator', 'local');
  });
}
