/** The content-hashed project image against a real Docker engine (`bash scripts/services/docker.sh`). */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureProjectImage, type ImageSpec } from './project-image.js';

const docker = new Docker({ socketPath: process.env.STRATA_TEST_DOCKER_SOCKET ?? '/var/run/docker.sock' });
const baseImage = process.env.STRATA_TEST_DOCKER_BASE_IMAGE ?? 'strata-node-base:20';
const repository = `strata-image-test-${process.pid}`;
let root: string;

beforeAll(async () => {
  await docker.ping();
  root = await mkdtemp(join(tmpdir(), 'strata-image-'));
  await mkdir(join(root, 'src'));
  await mkdir(join(root, 'node_modules', '.pnpm', 'dep@1.0.0', 'node_modules', 'dep'), { recursive: true });
  await writeFile(join(root, 'pnpm-lock.yaml'), 'lockfileVersion: 9.0\n');
  await writeFile(join(root, 'src', 'pipeline.ts'), 'export const x = 1;\n');
  await writeFile(
    join(root, 'node_modules', '.pnpm', 'dep@1.0.0', 'node_modules', 'dep', 'index.js'),
    'module.exports = 1;\n',
  );
  await symlink('.pnpm/dep@1.0.0/node_modules/dep', join(root, 'node_modules', 'dep'));
});

afterAll(async () => {
  const images = await docker.listImages({ filters: { reference: [`${repository}:*`] } });
  for (const image of images)
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

const spec = (codeSource: 'mount' | 'image'): ImageSpec => ({
  baseImage,
  repository,
  codeSource,
  workspaceRoot: root,
  projectRoot: root,
  exclude: [],
});

describe('project image', () => {
  it('is built once per content hash and reused while nothing changes', async () => {
    const first = await ensureProjectImage(docker, spec('mount'));
    expect(first.built).toBe(true);
    expect(first.ref).toMatch(new RegExp(`^${repository}:[0-9a-f]{24}$`));
    const again = await ensureProjectImage(docker, spec('mount'));
    expect(again).toMatchObject({ ref: first.ref, built: false });

    await writeFile(join(root, 'src', 'pipeline.ts'), 'export const x = 2;\n');
    const changed = await ensureProjectImage(docker, spec('mount'));
    expect(changed.built).toBe(true);
    expect(changed.ref).not.toBe(first.ref);
    // Strata's own state never changes the hash.
    await mkdir(join(root, '.strata'), { recursive: true });
    await writeFile(join(root, '.strata', 'strata.db'), 'x');
    expect((await ensureProjectImage(docker, spec('mount'))).ref).toBe(changed.ref);
  });

  it('copies code and node_modules (symlinks kept) into the image in image mode', async () => {
    const image = await ensureProjectImage(docker, spec('image'));
    expect(image.built).toBe(true);
    const container = await docker.createContainer({
      Image: image.ref,
      Cmd: [
        'node',
        '-e',
        `const fs=require('fs');console.log(fs.readlinkSync('${root}/node_modules/dep'), require('${root}/node_modules/dep'), fs.readFileSync('${root}/src/pipeline.ts','utf8').trim())`,
      ],
    });
    try {
      await container.start();
      await container.wait();
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      expect(logs).toContain('.pnpm/dep@1.0.0/node_modules/dep 1 export const x = 2;');
    } finally {
      await container.remove({ force: true });
    }
  });
});
