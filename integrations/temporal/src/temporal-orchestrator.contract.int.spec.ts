// The orchestrator contract from @strata/testing on the Temporal orchestrator: a real dev server on
// loopback (scripts/services/temporal.sh) and two worker processes. The project's temporal stack has
// a `local` model registry, which steps must reach from inside the workers' activities.
import { rm } from 'node:fs/promises';
import { openProject, openStack } from '@strata/project';
import { attachLocalModelRegistry, describeOrchestratorContract } from '@strata/testing';
import { createTemporalProject, spawnWorker } from './testing/temporal-project.js';

describeOrchestratorContract('temporal', async () => {
  const project = await createTemporalProject({ heartbeatTimeoutMs: 5000 });
  const opened = await openProject({ cwd: project.root });
  try {
    await attachLocalModelRegistry(opened.database, 'temporal', 'models');
  } finally {
    await opened.close();
  }
  const workers = [spawnWorker(project.root), spawnWorker(project.root)];
  await Promise.all(workers.map((w) => w.ready));
  const stack = await openStack({ cwd: project.root, stack: 'temporal' });
  return {
    stack,
    sharedDir: project.root,
    concurrency: 2,
    component: { type: 'model_registry', flavor: 'local' },
    async cleanup() {
      await stack.close();
      await Promise.all(workers.map((w) => w.stop()));
      await rm(project.root, { recursive: true, force: true });
    },
  };
});
