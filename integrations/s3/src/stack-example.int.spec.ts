/**
 * The example of docs/artifact-stores.md, run for real: an `s3` artifact store registered with its
 * secret as a {{secret.NAME.KEY}} reference, a stack built by @strata/project exactly as the CLI does,
 * a pipeline run on it, and the stored config checked to hold the reference, never the secret.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, step, t } from '@strata/core';
import { openDatabase } from '@strata/metadata';
import { buildStack, builtinPlugins, SecretStore } from '@strata/project';
import { expect, it, vi } from 'vitest';
import { plugin as s3Plugin } from './index.js';
import { ensureS3Bucket, s3TestConfig } from './test-server.js';

const server = s3TestConfig();
await ensureS3Bucket(server);

const hello = pipeline({
  name: 'hello_s3',
  body: () => {
    step({ name: 'greet', outputs: { text: t.string() }, run: () => ({ text: 'hello from S3' }) })();
  },
});

it('registers an s3 artifact store with a secret reference and runs a pipeline on it', async () => {
  // This small output would otherwise be kept inline in its metadata row (see docs/concepts.md).
  vi.stubEnv('STRATA_INLINE_ARTIFACT_BYTES', '0');
  const root = await mkdtemp(join(tmpdir(), 'strata-doc-s3-'));
  const database = await openDatabase(join(root, 'strata.db'));
  try {
    // strata secret set s3-creds --accessKeyId ... --secretAccessKey ...
    const secrets = new SecretStore(join(root, '.strata', 'secrets'));
    await secrets.set('s3-creds', {
      accessKeyId: server.accessKeyId!,
      secretAccessKey: server.secretAccessKey!,
    });
    // strata artifact-store register team-s3 --flavor s3 --bucket strata-test --prefix docs-example ...
    const now = Date.now();
    await database.createComponent({
      type: 'artifact_store',
      name: 'team-s3',
      flavor: 's3',
      config: {
        bucket: server.bucket,
        prefix: 'docs-example',
        region: server.region!,
        endpoint: server.endpoint!,
        forcePathStyle: true,
        accessKeyId: '{{secret.s3-creds.accessKeyId}}',
        secretAccessKey: '{{secret.s3-creds.secretAccessKey}}',
      },
      createdAt: now,
      updatedAt: now,
    });
    await database.createComponent({
      type: 'orchestrator',
      name: 'local',
      flavor: 'local',
      config: {},
      createdAt: now,
      updatedAt: now,
    });
    // strata stack register cloud --orchestrator local --artifact-store team-s3
    await database.createStack({
      name: 'cloud',
      components: { orchestrator: 'local', artifact_store: 'team-s3' },
      createdAt: now,
      updatedAt: now,
    });

    const stack = await buildStack({
      name: 'cloud',
      root,
      database,
      // The local orchestrator comes with @strata/project (an integration never imports another).
      plugins: [...builtinPlugins, s3Plugin],
      secrets,
    });
    const handle = await hello.run({ stack });
    expect((await handle.wait()).status).toBe('completed');
    expect(await handle.output('greet', 'text')).toBe('hello from S3');
    expect(stack.artifactStore.identity).toBe(
      `s3://${server.bucket}/docs-example?endpoint=${encodeURIComponent(server.endpoint!)}`,
    );
    const [artifact] = await database.listArtifacts();
    expect(artifact?.uri).toMatch(/^s3:\/\/strata-test\/docs-example\/blobs\/sha256\//);
    // What is recorded with the run holds the reference, not the secret.
    const run = await database.getRun(handle.id);
    expect(JSON.stringify(run?.environment)).not.toContain(server.secretAccessKey!);
    expect(JSON.stringify(stack.components)).toContain('{{secret.s3-creds.secretAccessKey}}');
    await stack.close();
  } finally {
    vi.unstubAllEnvs();
    await database.close().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}, 120_000);
