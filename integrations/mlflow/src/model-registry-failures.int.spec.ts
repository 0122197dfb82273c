import { createServer } from 'node:net';
import { type ArtifactRecord, isStrataError, type StrataError } from '@strata/core';
import { createTemporaryStack, modelArtifacts, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MlflowModelRegistryConfig } from './flavor.js';
import { MlflowModelRegistry } from './model-registry.js';
import { mlflowTestServer, registryTestConfig } from './test-server.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const failure = async (work: Promise<unknown>): Promise<StrataError> => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStrataError(error), `expected a StrataError, got ${String(error)}`).toBe(true);
  return error as StrataError;
};

describe('mlflow model registry failures (real server)', () => {
  let temp: TemporaryStack;
  let artifacts: ArtifactRecord[];
  const registryAt = (config: MlflowModelRegistryConfig) =>
    new MlflowModelRegistry(config, {
      projectRoot: temp.root,
      componentName: 'models',
      database: temp.stack.database,
      component: async <T>(type: string) =>
        (type === 'artifact_store' ? temp.stack.artifactStore : undefined) as T | undefined,
    });

  beforeAll(async () => {
    temp = await createTemporaryStack();
    artifacts = await modelArtifacts(temp.stack);
  }, 120_000);
  afterAll(() => temp?.cleanup());

  it('MLflow down: names the URL, the operation and the fix', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const registry = registryAt({ url, timeoutMs: 5_000 });
    const error = await failure(registry.register({ model: 'down', artifactId: artifacts[0]!.id }));
    expect(error.code).toBe('mlflow_unreachable');
    expect(error.message).toContain(`MLflow at ${url} is unreachable`);
    expect(error.message).toContain('create registered model "down"');
    expect(error.fix).toContain('strata model-registry update models --url URL');
    expect((await failure(registry.listModels())).message).toContain('list registered models');
  });

  it('a wrong token: names the URL, the operation and the fix, never the token', async () => {
    const token = 'wrong-token-value-123456';
    const registry = registryAt({ ...registryTestConfig(), token });
    const error = await failure(registry.resolve('anything@production'));
    expect(error.code).toBe('mlflow_unauthorized');
    expect(error.message).toContain(`MLflow at ${mlflowTestServer().url}`);
    expect(error.message).toContain('the token was refused');
    expect(error.fix).toContain('strata secret set mlflow token=');
    expect(error.fix).toContain('strata model-registry update models');
    expect(JSON.stringify({ message: error.message, fix: error.fix, value: error.value })).not.toContain(
      token,
    );
  });

  it('a model name MLflow rejects: mlflow_rejected naming the operation, and nothing registered', async () => {
    const registry = registryAt(registryTestConfig());
    const name = `bad/name:${Date.now()}`;
    const error = await failure(registry.register({ model: name, artifactId: artifacts[0]!.id }));
    expect(error.code).toBe('mlflow_rejected');
    expect(error.message).toContain(`MLflow at ${mlflowTestServer().url} rejected`);
    expect(error.message).toContain(name);
    expect(error.fix).toMatch(/model names may not contain/);
    expect((await registry.listModels()).some((m) => m.name === name)).toBe(false);
  });

  it('an unknown model: rollback and promote say there is no such model, never the token', async () => {
    const registry = registryAt(registryTestConfig());
    const model = `nosuchmodel-${Date.now()}`;
    const move = { reason: 'x', actor: 'user:test' };
    for (const work of [registry.rollback(model, move), registry.promote(model, 1, move)]) {
      const error = await failure(work);
      expect(error.code).toBe('unknown_model');
      expect(error.field).toBe('model');
      expect(error.value).toBe(model);
      expect(error.message).toBe(`no model named "${model}" in MLflow at ${mlflowTestServer().url}`);
      expect(error.fix).toContain('strata models list');
      expect(JSON.stringify({ m: error.message, f: error.fix })).not.toContain(mlflowTestServer().token);
    }
    expect((await registry.listModels()).some((m) => m.name === model)).toBe(false);
  });

  it('an invalid alias name is refused before anything is written to MLflow', async () => {
    const registry = registryAt(registryTestConfig());
    const model = `aliases-${Date.now()}`;
    await registry.register({ model, artifactId: artifacts[0]!.id });
    await registry.promote(model, 1, { reason: 'first', actor: 'user:test' });
    for (const alias of ['bad alias!', '3']) {
      for (const work of [
        registry.promote(model, 1, { alias, reason: 'x', actor: 'user:test' }),
        registry.rollback(model, { alias, reason: 'x', actor: 'user:test' }),
      ]) {
        const error = await failure(work);
        expect(error.code).toBe('invalid_name');
        expect(error.field).toBe('alias');
        expect(error.value).toBe(alias);
        expect(error.message).toContain(`alias "${alias}" is not a valid alias name`);
        expect(error.fix).toContain('e.g. --alias production');
      }
    }
    // An alias never set, and a version that does not exist: named as such.
    const never = await failure(
      registry.rollback(model, { alias: 'staging', reason: 'x', actor: 'user:test' }),
    );
    expect(never.code).toBe('unknown_model_alias');
    expect(never.message).toContain(`model "${model}" has no alias "staging"`);
    const missing = await failure(registry.resolve(`${model}@9`));
    expect(missing.code).toBe('unknown_model_version');
    expect(missing.message).toContain(`model "${model}" has no version 9`);
    expect(missing.message).toContain('(it has v1)');
    // No history tag and no alias beyond the first promotion.
    expect((await registry.history(model)).map((c) => c.alias)).toEqual(['production']);
    expect((await registry.listModels()).find((m) => m.name === model)?.aliases).toEqual({ production: 1 });
  });

  it('missing bytes: no version is created and the alias stays where it was', async () => {
    const registry = registryAt(registryTestConfig());
    const model = `half-${Date.now()}`;
    await registry.register({ model, artifactId: artifacts[0]!.id });
    await registry.promote(model, 1, { reason: 'first', actor: 'user:test' });
    await temp.stack.artifactStore.delete(artifacts[1]!.storeKey);
    const error = await failure(registry.register({ model, artifactId: artifacts[1]!.id }));
    expect(error.code).toBe('missing_artifact_bytes');
    expect(error.message).toContain(temp.stack.artifactStore.uri(artifacts[1]!.storeKey));
    expect((await registry.versions(model)).map((v) => v.version)).toEqual([1]);
    expect(await registry.aliasVersion(model, 'production')).toBe(1);
  });
});
