// docs/plugins.md, "Running the contract suites": the orchestrator contract from @strata/testing run
// against this plugin's orchestrator, on a temporary stack that also has a model registry for steps.
import { createMlStack, describeOrchestratorContract } from '@strata/testing';
import { SequentialOrchestrator } from './sequential-orchestrator.js';

describeOrchestratorContract('sequential (examples/custom-plugin)', async () => {
  const temp = await createMlStack();
  return {
    // The temporary stack with this flavor as its orchestrator (the rest is the local stack).
    stack: { ...temp.stack, orchestrator: new SequentialOrchestrator() },
    sharedDir: temp.root,
    concurrency: 1,
    component: { type: 'model_registry', flavor: 'local' },
    cleanup: () => temp.cleanup(),
  };
});
