import { createMlStack, describeModelRegistryContract, modelArtifacts } from '@strata/testing';

describeModelRegistryContract('local', async () => {
  const temp = await createMlStack();
  return {
    registry: temp.registry,
    artifacts: await modelArtifacts(temp.stack),
    loseBytes: (artifact) => temp.stack.artifactStore.delete(artifact.storeKey),
    cleanup: () => temp.cleanup(),
  };
});
