import { isStrataError } from '@strata/core';
import type { StackDraft } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { dockerHost } from './docker-host.js';
import { dockerOrchestratorConfig, dockerOrchestratorFlavor, validateDockerStack } from './flavor.js';
import { parseMemory, resolveStepSettings } from './step-settings.js';

const draft = (config: Record<string, unknown>, store = 'local', shared = false): StackDraft => ({
  name: 'containers',
  components: {
    orchestrator: { flavor: dockerOrchestratorFlavor, config: dockerOrchestratorConfig.parse(config) },
    artifact_store: {
      flavor: { ...dockerOrchestratorFlavor, type: 'artifact_store', name: store },
      config: {},
    },
  },
  database: { url: shared ? 'postgres://db/strata' : '/p/.strata/strata.db', shared },
});

describe('docker flavor', () => {
  it('has the documented defaults', () => {
    expect(dockerOrchestratorConfig.parse({})).toMatchObject({
      baseImage: 'strata-node-base:20',
      codeSource: 'mount',
      removeContainers: true,
      concurrency: 2,
    });
  });

  it('accepts local stores when the engine is this machine', () => {
    expect(validateDockerStack(draft({ host: 'unix:///var/run/docker.sock' }))).toEqual([]);
    expect(validateDockerStack(draft({ host: 'tcp://127.0.0.1:2375' }))).toEqual([]);
  });

  it('explains what a remote engine cannot reach', () => {
    const problems = validateDockerStack(draft({ host: 'tcp://build-box:2376' }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/local artifact store: use an s3, gcs or azure artifact store/);
    expect(problems[1]).toMatch(/SQLite metadata store .* PostgreSQL/);
    expect(problems[2]).toMatch(/codeSource to "image"/);
    expect(
      validateDockerStack(draft({ host: 'tcp://build-box:2376', codeSource: 'image' }, 's3', true)),
    ).toEqual([]);
  });

  it('reads DOCKER_HOST', () => {
    expect(dockerHost(undefined, { DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toMatchObject({
      local: false,
      connection: { host: '10.0.0.5', port: 2375 },
    });
    expect(dockerHost(undefined, {})).toMatchObject({
      local: true,
      connection: { socketPath: '/var/run/docker.sock' },
    });
  });
});

describe('per-step docker settings', () => {
  it('merge over the orchestrator defaults', () => {
    const resolved = resolveStepSettings(
      'train',
      {
        memory: '1g',
        env: { A: '1', B: '1' },
        mounts: [{ source: '/data', target: '/data', readOnly: true }],
      },
      { cpus: 1.5, env: { B: '2' }, gpus: 2, mounts: [{ source: '/cache', target: '/cache' }] },
    );
    expect(resolved).toEqual({
      nanoCpus: 1_500_000_000,
      memoryBytes: 1024 ** 3,
      deviceRequests: [{ Driver: '', Count: 2, Capabilities: [['gpu']] }],
      env: { A: '1', B: '2' },
      mounts: [
        { source: '/data', target: '/data', readOnly: true },
        { source: '/cache', target: '/cache', readOnly: false },
      ],
    });
  });

  it('parse memory sizes', () => {
    expect(parseMemory('512m')).toBe(512 * 1024 ** 2);
    expect(parseMemory('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseMemory(1000)).toBe(1000);
  });

  it('reject a bad value naming the field', () => {
    try {
      resolveStepSettings('train', {}, { memory: 'lots' });
      expect.unreachable();
    } catch (error) {
      expect(isStrataError(error)).toBe(true);
      expect((error as Error).message).toContain('settings.docker.memory');
    }
  });
});
