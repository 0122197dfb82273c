import { createTemporaryStack, describeModelRegistryContract, modelArtifacts } from '@strata/testing';
import { MlflowModelRegistry } from './model-registry.js';
import { registryTestConfig } from './test-server.js';

describeModelRegistryContract('mlflow', async () => {
  const temp = await createTemporaryStack();
  const registry = new MlflowModelRegistry(registryTestConfig(), {
    projectRoot: temp.root,
    componentName: 'mlflow-contract',
    database: temp.stack.database,
    component: async <T>(type: string) =>
      (type === 'artifact_store' ? temp.stack.artifactStore : undefined) as T | undefined,
  });
  return {
    registry,
    artifacts: await modelArtifacts(temp.stack),
    loseBytes: (artifact) => temp.stack.artifactStore.delete(artifact.storeKey),
    cleanup: () => temp.cleanup(),
  };
});
