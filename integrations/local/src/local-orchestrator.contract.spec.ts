import { createMlStack, describeOrchestratorContract } from '@strata/testing';

// The local orchestrator in both isolation modes. The stack has a `local` model registry that steps
// must reach: in-process from the live stack, under process isolation from the stack each child
// process builds from the project's metadata store.
for (const isolation of ['in-process', 'process'] as const) {
  describeOrchestratorContract(`local (${isolation})`, async () => {
    const temp = await createMlStack({ isolation, concurrency: 2 });
    return {
      stack: temp.stack,
      sharedDir: temp.root,
      concurrency: 2,
      component: { type: 'model_registry', flavor: 'local' },
      cleanup: () => temp.cleanup(),
    };
  });
}
