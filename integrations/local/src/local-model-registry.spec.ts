import { pipeline, runPipeline, step, stepRunId, t } from '@strata/core';
import { createTemporaryStack, type TemporaryStack } from '@strata/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalModelRegistry } from './local-model-registry.js';

describe('LocalModelRegistry', () => {
  let temp: TemporaryStack;
  let registry: LocalModelRegistry;

  beforeEach(async () => {
    temp = await createTemporaryStack();
    registry = new LocalModelRegistry(temp.stack.database);
  });
  afterEach(() => temp.cleanup());

  const emit = step({ name: 'emit', outputs: { model: t.json<number>() }, run: () => ({ model: 1 }) });
  const produce = pipeline({ name: 'produce', body: () => void emit() });

  /** Registers three versions, each pointing at a real artifact recorded by a run. */
  async function registerThree() {
    const run = await (await runPipeline(produce, { stack: temp.stack })).wait();
    const [event] = await temp.stack.database.stepRunEvents(stepRunId(run.id, 'emit'));
    for (const metric of [0.8, 0.9, 0.95]) {
      await registry.register({
        model: 'penguins',
        artifactId: event!.artifactId,
        runId: run.id,
        metrics: { accuracy: metric },
      });
    }
  }

  it('registers numbered versions and resolves name, name@version and name@alias', async () => {
    await registerThree();
    expect((await registry.resolve('penguins')).version).toBe(3);
    expect((await registry.resolve('penguins@2')).metrics).toEqual({ accuracy: 0.9 });
    await registry.promote('penguins', 2, { reason: 'better', actor: 'test' });
    expect((await registry.resolve('penguins@production')).version).toBe(2);
    await expect(registry.resolve('penguins@staging')).rejects.toThrow(/no alias "staging"/);
    await expect(registry.resolve('nothing@production')).rejects.toThrow(/nothing/);
  });

  it('rolls an alias back step by step and records who, why and when', async () => {
    await registerThree();
    for (const v of [1, 2, 3]) await registry.promote('penguins', v, { reason: `v${v}`, actor: 'ci' });
    const first = await registry.rollback('penguins', { reason: 'v3 is worse live', actor: 'alice' });
    expect(first).toMatchObject({ version: 2, previousVersion: 3, action: 'rollback', actor: 'alice' });
    expect((await registry.rollback('penguins', { reason: 'again', actor: 'bob' })).version).toBe(1);
    await expect(registry.rollback('penguins', { reason: 'x', actor: 'bob' })).rejects.toThrow(
      /no earlier version/,
    );
    const history = await registry.history('penguins', 'production');
    expect(history.map((c) => `${c.action}:${c.version}`)).toEqual([
      'promote:1',
      'promote:2',
      'promote:3',
      'rollback:2',
      'rollback:1',
    ]);
    expect(history[3]!.reason).toBe('v3 is worse live');
    expect(history[3]!.at).toBeGreaterThan(0);
  });

  it('keeps aliases independent', async () => {
    await registerThree();
    await registry.promote('penguins', 3, { alias: 'staging', reason: 'try', actor: 'ci' });
    await registry.promote('penguins', 1, { reason: 'first', actor: 'ci' });
    expect(await registry.aliasVersion('penguins', 'staging')).toBe(3);
    expect((await registry.listModels())[0]).toMatchObject({
      name: 'penguins',
      latestVersion: 3,
      aliases: { staging: 3, production: 1 },
    });
  });
});
