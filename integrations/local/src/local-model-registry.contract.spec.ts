import { createMlStack, describeModelRegistryContract, modelArtifacts } from '@strata/testing';

describeModelRegistryContract('local', async () => {
  const temp = await createMlStack();
  return {
    registry: temp.registry,
    artifacts: await modelArtifacts(temp.stack),
    cleanup: () => temp.cleanup(),
  };
});
