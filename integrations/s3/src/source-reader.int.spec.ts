/**
 * s3:// sources read through the stack's seam (SourceReader), against the loopback S3 server: a stack
 * built as the CLI builds it, whose s3 artifact store holds its credentials as secret references,
 * reads a source in a step with the AWS_* variables pointing at wrong credentials (so only the store's
 * resolved secrets can work); reads are pinned to the fingerprinted version (an object replaced after
 * its fingerprint, or a prefix that gained an object, is `source_changed`); errors hold no secret.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { pipeline, type SourceValue, source, step, t } from '@strata/core';
import { SourceFingerprints } from '@strata/core/plugin';
import { openDatabase } from '@strata/metadata';
import { buildStack, builtinPlugins, SecretStore } from '@strata/project';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createS3Client } from './client.js';
import { plugin as s3Plugin } from './index.js';
import { s3SourceFingerprinter } from './source-fingerprint.js';
import { s3SourceReader } from './source-reader.js';
import { ensureS3Bucket, s3TestConfig } from './test-server.js';

const server = s3TestConfig();
await ensureS3Bucket(server);
const run = `reader-${Date.now().toString(36)}`;
const client = createS3Client(server);
const put = (key: string, body: string) =>
  client.send(new PutObjectCommand({ Bucket: server.bucket, Key: `${run}/${key}`, Body: body }));
const sources = (config: Record<string, unknown>) =>
  new SourceFingerprints({
    projectRoot: tmpdir(),
    fingerprinters: [s3SourceFingerprinter],
    readers: [s3SourceReader],
    store: { flavor: 's3', config },
  });
afterAll(() => client.destroy());

describe('s3 source reader', () => {
  it("reads in a step with the stack's secret-referenced credentials, not the environment's", async () => {
    await put('step/rows.csv', 'x\n1\n2\n3\n');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'wrong-key');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wrong-secret');
    const root = await mkdtemp(join(tmpdir(), 'strata-s3-reader-'));
    const database = await openDatabase(join(root, 'strata.db'));
    try {
      const secrets = new SecretStore(join(root, '.strata', 'secrets'));
      await secrets.set('s3-creds', {
        accessKeyId: server.accessKeyId!,
        secretAccessKey: server.secretAccessKey!,
      });
      const now = Date.now();
      await database.createComponent({
        type: 'artifact_store',
        name: 'team-s3',
        flavor: 's3',
        config: {
          bucket: server.bucket,
          prefix: `${run}-store`,
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
        plugins: [...builtinPlugins, s3Plugin],
        secrets,
      });
      const seen: unknown[] = [];
      const read = step({
        name: 'read',
        inputs: { data: t.source() },
        outputs: { head: t.string(), all: t.string(), version: t.string() },
        async run({ data }: { data: SourceValue }) {
          const [object] = await data.objects!();
          const head = new TextDecoder().decode(await object!.read(0, 4));
          const result = { head, all: await text(object!.stream()), version: object!.version };
          seen.push(result);
          return result;
        },
      });
      const flow = pipeline({
        name: 's3-reader',
        body: () => read({ data: source(`s3://${server.bucket}/${run}/step/rows.csv`) }),
      });
      const done = await (await flow.run({ stack })).wait();
      const [row] = await database.listStepRuns(done.id);
      expect(row!.status, row!.error ?? '').toBe('completed');
      expect(seen).toEqual([
        { head: 'x\n1\n', all: 'x\n1\n2\n3\n', version: expect.stringMatching(/^(etag|version):/) },
      ]);
      await stack.close();
    } finally {
      vi.unstubAllEnvs();
      await database.close().catch(() => {});
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reads an object as fingerprinted (ranges and stream); replaced after its fingerprint it is source_changed', async () => {
    await put('one.csv', 'a,b\n1,2\n');
    const fingerprints = sources(server as unknown as Record<string, unknown>);
    const spec = { uri: `s3://${server.bucket}/${run}/one.csv` };
    const fingerprint = await fingerprints.fingerprint(spec);
    const [object] = await fingerprints.objects(spec, fingerprint);
    expect(object).toMatchObject({ name: 'one.csv', size: 8 });
    expect(new TextDecoder().decode(await object!.read(4, 8))).toBe('1,2\n');
    expect(await text(object!.stream())).toBe('a,b\n1,2\n');
    await put('one.csv', 'a,b\n9,9\n');
    await expect(object!.read(0, 8)).rejects.toMatchObject({ code: 'source_changed' });
    await expect(text(object!.stream())).rejects.toThrow(
      /changed after it was fingerprinted: the object was replaced/,
    );
    // Listed again from the old fingerprint: still pinned, still refused.
    const [again] = await fingerprints.objects(spec, fingerprint);
    await expect(again!.read(0, 8)).rejects.toMatchObject({ code: 'source_changed' });
  });

  it('pins a prefix to its fingerprinted listing, naming what changed; errors hold no secret', async () => {
    await put('parts/a.csv', 'x\n1\n');
    await put('parts/b.csv', 'x\n2\n');
    const fingerprints = sources(server as unknown as Record<string, unknown>);
    const spec = { uri: `s3://${server.bucket}/${run}/parts/` };
    const fingerprint = await fingerprints.fingerprint(spec);
    const objects = await fingerprints.objects(spec, fingerprint);
    expect(objects.map((o) => o.name)).toEqual(['a.csv', 'b.csv']);
    expect(await Promise.all(objects.map((o) => text(o.stream())))).toEqual(['x\n1\n', 'x\n2\n']);
    await put('parts/c.csv', 'x\n3\n');
    await expect(fingerprints.objects(spec, fingerprint)).rejects.toThrow(
      /parts\/ changed after it was fingerprinted: c\.csv added/,
    );
    const secret = 'not-the-secret-0123456789';
    const wrong = sources({ ...server, secretAccessKey: secret } as unknown as Record<string, unknown>);
    const error = await wrong.objects(spec, await fingerprints.fingerprint(spec)).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'source_unreachable' });
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(secret);
  });
});
