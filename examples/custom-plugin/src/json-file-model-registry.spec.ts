// The model registry contract from @strata/testing, run against this plugin's registry.
import { join } from 'node:path';
import { createTemporaryStack, describeModelRegistryContract, modelArtifacts } from '@strata/testing';
import { JsonFileModelRegistry } from './json-file-model-registry.js';

describeModelRegistryContract('json-file (examples/custom-plugin)', async () => {
  const temp = await createTemporaryStack();
  const registry = new JsonFileModelRegistry(join(temp.root, 'models.json'), {
    projectRoot: temp.root,
    componentName: 'contract',
    database: temp.stack.database,
    component: async <T>(type: string) => temp.stack.extras.get(type) as T | undefined,
  });
  return {
    registry,
    artifacts: await modelArtifacts(temp.stack),
    loseBytes: (artifact) => temp.stack.artifactStore.delete(artifact.storeKey),
    cleanup: () => temp.cleanup(),
  };
});
