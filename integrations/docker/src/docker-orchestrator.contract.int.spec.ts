// The orchestrator contract from @strata/testing on the Docker orchestrator: every step in its own
// container on a real engine (scripts/services/docker.sh). The stack has a `local` model registry,
// which steps must reach from inside their containers; the steps' shared directory is under the
// project's .strata directory, which the orchestrator mounts read-write at the same path.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openProject } from '@strata/project';
import { attachLocalModelRegistry, describeOrchestratorContract } from '@strata/testing';
import Docker from 'dockerode';
import { dockerProject } from '../test/project.js';

describeOrchestratorContract(
  'docker',
  async () => {
    const docker = new Docker({
      socketPath: process.env.STRATA_TEST_DOCKER_SOCKET ?? '/var/run/docker.sock',
    });
    await docker.ping().catch((error: Error) => {
      throw new Error(
        `no Docker engine on the socket (${error.message}): run bash scripts/services/docker.sh`,
      );
    });
    const project = await dockerProject();
    const opened = await openProject({ cwd: project.root });
    try {
      await attachLocalModelRegistry(opened.database, 'docker', 'models');
    } finally {
      await opened.close();
    }
    const sharedDir = join(project.root, '.strata', 'contract');
    await mkdir(sharedDir, { recursive: true });
    const stack = await project.stack();
    return {
      stack,
      sharedDir,
      concurrency: 2,
      component: { type: 'model_registry', flavor: 'local' },
      async cleanup() {
        await stack.close();
        await rm(project.root, { recursive: true, force: true });
      },
    };
  },
  { timeoutMs: 300_000 },
);
