import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOf, readDataset } from '../../ingest.js';
import { rowsOf } from '../../table.js';
import { type DataFile, localFile } from '../data-file.js';
import { writeParquet } from '../parquet-write.js';
import { readBatches } from '../read-batches.js';
import { type ObjectFilesOptions, objectFiles } from './index.js';

/**
 * Ingest from the loopback S3 (MinIO), GCS (fake-gcs-server) and Azure (Azurite) emulators of
 * scripts/services: a prefix of CSV and Parquet objects reads into the same table as the same
 * files on disk, and a large object is streamed (the first batch is ready when a fraction of the
 * object has arrived; Parquet fetches only the footer and one row group's ranges first).
 */
function need(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run \`bash scripts/services/all.sh && source .services/env\``);
  return value;
}

interface Store {
  readonly scheme: 's3' | 'gs' | 'az';
  readonly options: ObjectFilesOptions;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

const BUCKET = 'strata-ml-ingest';

async function s3Store(): Promise<Store> {
  const client = new S3Client({
    endpoint: need('STRATA_TEST_S3_ENDPOINT'),
    region: process.env.STRATA_TEST_S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: need('STRATA_TEST_S3_ACCESS_KEY_ID'),
      secretAccessKey: need('STRATA_TEST_S3_SECRET_ACCESS_KEY'),
    },
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((error: { name?: string }) => {
    if (!/BucketAlready/.test(error.name ?? '')) throw error;
  });
  return {
    scheme: 's3',
    options: { s3: { client } },
    put: async (key, bytes) => {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
    },
  };
}

async function gcsStore(): Promise<Store> {
  const client = new Storage({ apiEndpoint: need('STRATA_TEST_GCS_ENDPOINT'), projectId: 'strata-test' });
  const bucket = client.bucket(BUCKET);
  const [exists] = await bucket.exists();
  if (!exists) await bucket.create();
  return {
    scheme: 'gs',
    options: { gcs: { client } },
    put: async (key, bytes) => {
      await bucket.file(key).save(Buffer.from(bytes), { resumable: false });
    },
  };
}

async function azureStore(): Promise<Store> {
  const client = BlobServiceClient.fromConnectionString(need('STRATA_TEST_AZURE_CONNECTION_STRING'));
  const container = client.getContainerClient(BUCKET);
  await container.createIfNotExists();
  return {
    scheme: 'az',
    options: { azure: { client } },
    put: async (key, bytes) => {
      await container.getBlockBlobClient(key).uploadData(Buffer.from(bytes));
    },
  };
}

/** A seeded penguins-like CSV: about 34 bytes a row. */
function csv(rows: number, seed: number): string {
  let a = seed;
  const random = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return (a + 1) / 2 ** 32;
  };
  const lines = ['species,island,length,mass'];
  for (let i = 0; i < rows; i++) {
    const s = Math.floor(random() * 3);
    const length = random() < 0.01 ? '' : (38 + 5 * s + 3 * random()).toFixed(1);
    lines.push(
      `${['Adelie', 'Gentoo', 'Chinstrap'][s]},${['Biscoe', 'Dream', '"Torgersen, south"'][Math.floor(random() * 3)]},${length},${Math.round(3500 + 800 * s + 400 * random())}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The DataFile with the bytes it has handed out counted (streamed, or read by range). */
function counted(file: DataFile): DataFile & { delivered: () => number } {
  let delivered = 0;
  return {
    name: file.name,
    size: () => file.size(),
    stream: () => {
      const stream = file.stream();
      stream.on('data', (chunk: Buffer) => {
        delivered += chunk.length;
      });
      return stream;
    },
    read: async (start, end) => {
      const bytes = await file.read(start, end);
      delivered += bytes.byteLength;
      return bytes;
    },
    delivered: () => delivered,
  };
}

const isData = (name: string) => /\.(csv|parquet)$/.test(name);

describe.each([
  ['S3 (MinIO)', s3Store],
  ['GCS (fake-gcs-server)', gcsStore],
  ['Azure Blob (Azurite)', azureStore],
])('ingest from %s', { timeout: 600_000 }, (_name, open) => {
  let store: Store;
  let dir: string;
  const prefix = `ingest-${process.pid}-${Date.now()}/`;
  const uri = (key: string) => `${store.scheme}://${BUCKET}/${key}`;

  beforeAll(async () => {
    store = await open();
    dir = await mkdtemp(join(tmpdir(), 'strata-object-ingest-'));
    await writeFile(join(dir, 'a.csv'), csv(600_000, 1));
    const { table } = await readDataset(join(dir, 'a.csv'));
    const out = createWriteStream(join(dir, 'b.parquet'));
    await writeParquet(table, out, { rowGroupRows: 32_768 });
    out.end();
    await once(out, 'finish');
    for (const name of ['a.csv', 'b.parquet'])
      await store.put(`${prefix}${name}`, await readFile(join(dir, name)));
    await store.put(`${prefix}README.txt`, new TextEncoder().encode('not data'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a prefix of CSV and Parquet objects into the same table as the files on disk, with their hashes', async () => {
    const files = await objectFiles(uri(prefix), { ...store.options, accept: isData });
    expect(files.map((f) => f.name)).toEqual([uri(`${prefix}a.csv`), uri(`${prefix}b.parquet`)]);
    const remote = await readDataset(files);
    const local = await readDataset([localFile(join(dir, 'a.csv')), localFile(join(dir, 'b.parquet'))]);
    expect(remote.table.numRows).toBe(1_200_000);
    expect(rowsOf(remote.table.slice(0, 2000))).toEqual(rowsOf(local.table.slice(0, 2000)));
    expect(rowsOf(remote.table.slice(599_000, 602_000))).toEqual(rowsOf(local.table.slice(599_000, 602_000)));
    expect(remote.spans.map((s) => [s.format, s.rows, s.bytes, s.sha256])).toEqual(
      local.spans.map((s) => [s.format, s.rows, s.bytes, s.sha256]),
    );
    // One object by its key, its format from the name.
    const [one] = await objectFiles(uri(`${prefix}b.parquet`), store.options);
    expect(formatOf(one!.name)).toBe('parquet');
    expect((await readDataset([one!])).table.numRows).toBe(600_000);
  });

  it('streams: the first batch is ready after a fraction of the object (CSV) or its footer and one row group (Parquet)', async () => {
    for (const [name, format, most] of [
      ['a.csv', 'csv', 0.4],
      // hyparquet fetches the last 512 KiB for the footer, then the first of 19 row groups.
      ['b.parquet', 'parquet', 0.5],
    ] as const) {
      const [file] = await objectFiles(uri(`${prefix}${name}`), store.options);
      const watched = counted(file!);
      const size = await watched.size();
      let first = -1;
      let rows = 0;
      for await (const batch of readBatches(watched, format)) {
        if (first < 0) first = watched.delivered();
        rows += batch.numRows;
      }
      expect(rows).toBe(600_000);
      expect(first).toBeGreaterThan(0);
      expect(first / size, `${name}: ${first} of ${size} bytes before the first batch`).toBeLessThan(most);
    }
  });

  it('names the URI when nothing is there', async () => {
    await expect(objectFiles(uri(`${prefix}missing/`), store.options)).rejects.toThrow(
      new RegExp(`no data objects at ${store.scheme}://${BUCKET}/${prefix}missing/`),
    );
  });
});

describe('the ingest step', { timeout: 600_000 }, () => {
  it('reads an s3:// source through the SDK chain (AWS_* variables) and splits it', async () => {
    const store = await s3Store();
    const key = `step-${process.pid}-${Date.now()}/train.csv`;
    await store.put(key, new TextEncoder().encode(csv(20_000, 3)));
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: need('STRATA_TEST_S3_ENDPOINT'),
      AWS_ACCESS_KEY_ID: need('STRATA_TEST_S3_ACCESS_KEY_ID'),
      AWS_SECRET_ACCESS_KEY: need('STRATA_TEST_S3_SECRET_ACCESS_KEY'),
      AWS_REGION: process.env.STRATA_TEST_S3_REGION ?? 'us-east-1',
    });
    try {
      const { ingest, ingestParams } = await import('../../../steps/ingest.js');
      const logged: unknown[] = [];
      const ctx = { log: (entry: unknown) => logged.push(entry), logger: { info: () => {} } };
      const uri = `s3://${BUCKET}/${key}`;
      const out = (await ingest.spec.run(
        { data: { uri, fingerprint: { uri, scheme: 's3', digest: 'etag:x', size: 0, count: 1 } } } as never,
        ingestParams.parse({ evalFraction: 0.2 }),
        ctx as never,
      )) as {
        train: { numRows: number };
        eval: { numRows: number };
        spans: { file: string; rows: number }[];
      };
      expect(out.train.numRows + out.eval.numRows).toBe(20_000);
      expect(out.eval.numRows / 20_000).toBeGreaterThan(0.17);
      expect(out.spans).toMatchObject([{ file: uri, rows: 20_000, format: 'csv' }]);
    } finally {
      for (const name of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});
