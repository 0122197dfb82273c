/**
 * 1 GiB through Strata (writeBlob/readBlob: spool + sha256 + the store's upload; verified download)
 * against the raw SDK upload/download of the same bytes, on the same loopback server, in one run.
 *
 *   bash scripts/services/all.sh s3 gcs azure && source .services/env
 *   pnpm tsc -b tsconfig.build.json && node --import tsx bench/artifact-stores.ts [s3] [gcs] [azure] [--mib 1024] [--reps 2]
 *
 * Runs on the built packages (dist): the `source` condition would also redirect third-party packages
 * that publish one. Prints a Markdown table for docs/benchmarks.md.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from '../packages/core/dist/index.js';
import { readBlob, writeBlob } from '../packages/core/dist/index.js';

const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const mibIndex = args.indexOf('--mib');
const size = (mibIndex >= 0 ? Number(args[mibIndex + 1]) : 1024) * MiB;
const chosen = args.filter(
  (a, i) => !a.startsWith('--') && args[i - 1] !== '--mib' && args[i - 1] !== '--reps',
);
const repsIndex = args.indexOf('--reps');
const reps = repsIndex >= 0 ? Number(args[repsIndex + 1]) : 2;
const stores = chosen.length > 0 ? chosen : ['s3', 'gcs', 'azure'];

interface Subject {
  store: ArtifactStore;
  raw: {
    upload(path: string, key: string): Promise<void>;
    download(key: string): Promise<NodeJS.ReadableStream>;
    remove(key: string): Promise<void>;
  };
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: bash scripts/services/all.sh && source .services/env`);
  return v;
}

/** Each store from its flavor (as a stack builds it) and the raw SDK path, with the same part/chunk/block settings. */
async function s3(): Promise<Subject> {
  const { s3ArtifactStoreFlavor } = await import('../integrations/s3/dist/index.js');
  const { ensureS3Bucket, rawS3 } = await import('../integrations/s3/dist/test-server.js');
  const config = s3ArtifactStoreFlavor.config.parse({
    bucket: 'strata-bench',
    endpoint: env('STRATA_TEST_S3_ENDPOINT'),
    forcePathStyle: true,
    region: env('STRATA_TEST_S3_REGION'),
    accessKeyId: env('STRATA_TEST_S3_ACCESS_KEY_ID'),
    secretAccessKey: env('STRATA_TEST_S3_SECRET_ACCESS_KEY'),
  });
  await ensureS3Bucket(config);
  const store = (await (await s3ArtifactStoreFlavor.load())(config, undefined as never)) as ArtifactStore;
  return { store, raw: rawS3(config) };
}

async function gcs(): Promise<Subject> {
  const { gcsArtifactStoreFlavor } = await import('../integrations/gcs/dist/index.js');
  const { ensureGcsBucket, rawGcs } = await import('../integrations/gcs/dist/test-server.js');
  const config = gcsArtifactStoreFlavor.config.parse({
    bucket: 'strata-bench',
    endpoint: env('STRATA_TEST_GCS_ENDPOINT'),
    projectId: 'bench',
  });
  await ensureGcsBucket(config);
  const store = (await (await gcsArtifactStoreFlavor.load())(config, undefined as never)) as ArtifactStore;
  return { store, raw: rawGcs(config) };
}

async function azure(): Promise<Subject> {
  const { azureArtifactStoreFlavor } = await import('../integrations/azure/dist/index.js');
  const { ensureAzureContainer, rawAzure } = await import('../integrations/azure/dist/test-server.js');
  const config = azureArtifactStoreFlavor.config.parse({
    container: 'strata-bench',
    connectionString: env('STRATA_TEST_AZURE_CONNECTION_STRING'),
  });
  await ensureAzureContainer(config);
  const store = (await (await azureArtifactStoreFlavor.load())(config, undefined as never)) as ArtifactStore;
  return { store, raw: rawAzure(config) };
}

/** Writes `bytes` of deterministic incompressible data (xorshift32) to a file. */
async function makeSource(path: string, bytes: number): Promise<void> {
  let state = 2463534242;
  const out = createWriteStream(path);
  for (let done = 0; done < bytes; done += 4 * MiB) {
    const chunk = Buffer.alloc(Math.min(4 * MiB, bytes - done));
    const words = new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.length >>> 2);
    for (let i = 0; i < words.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state >>> 0;
    }
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

interface Measured {
  seconds: number;
  rssMB: number;
}

/** Runs `work`, returning seconds and the peak RSS growth over the RSS before it. */
async function measure(work: () => Promise<void>): Promise<Measured> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return {
    seconds: (performance.now() - start) / 1000,
    rssMB: (Math.max(peak, process.memoryUsage().rss) - before) / 1e6,
  };
}

const dir = await mkdtemp(join(tmpdir(), 'strata-bench-stores-'));
const source = join(dir, 'source.bin');
await makeSource(source, size);
const hash = createHash('sha256');
for await (const c of createReadStream(source)) hash.update(c as Buffer);
const digest = hash.digest('hex');
const mib = size / MiB;
const rows: string[] = [];
const factories: Record<string, () => Promise<Subject>> = { s3, gcs, azure };
try {
  for (const name of stores) {
    const factory = factories[name];
    if (!factory) throw new Error(`unknown store "${name}" (s3, gcs, azure)`);
    const subject = await factory();
    const rawKey = `bench/raw-${Date.now()}`;
    // Warm-up (connection pools, JIT) with a small object, then alternate raw and Strata, best of `reps`.
    const small = join(dir, 'warm.bin');
    await makeSource(small, MiB);
    await subject.raw.upload(small, `${rawKey}-warm`);
    await pipeline(await subject.raw.download(`${rawKey}-warm`), sink());
    await subject.raw.remove(`${rawKey}-warm`);
    const warm = await writeBlob(subject.store, (s) => pipeline(createReadStream(small), s, { end: false }));
    await pipeline(await readBlob(subject.store, warm.key, warm.sha256), sink());
    await subject.store.delete(warm.key);
    const best = (a: Measured | undefined, b: Measured): Measured =>
      a && a.seconds < b.seconds
        ? { ...a, rssMB: Math.max(a.rssMB, b.rssMB) }
        : { ...b, rssMB: Math.max(a?.rssMB ?? 0, b.rssMB) };
    let rawUp: Measured | undefined;
    let strataUp: Measured | undefined;
    let rawDown: Measured | undefined;
    let strataDown: Measured | undefined;
    let key = '';
    for (let rep = 0; rep < reps; rep++) {
      await subject.raw.remove(rawKey);
      if (key) await subject.store.delete(key);
      rawUp = best(rawUp, await measure(() => subject.raw.upload(source, rawKey)));
      strataUp = best(
        strataUp,
        await measure(async () => {
          const blob = await writeBlob(subject.store, (s) =>
            pipeline(createReadStream(source, { highWaterMark: MiB }), s, { end: false }),
          );
          if (blob.sha256 !== digest) throw new Error('digest mismatch');
          key = blob.key;
        }),
      );
      rawDown = best(
        rawDown,
        await measure(async () => pipeline(await subject.raw.download(rawKey), sink())),
      );
      strataDown = best(
        strataDown,
        await measure(async () => pipeline(await readBlob(subject.store, key, digest), sink())),
      );
    }
    if (!rawUp || !strataUp || !rawDown || !strataDown) throw new Error('no repetitions');
    await subject.raw.remove(rawKey);
    await subject.store.delete(key);
    await subject.store.close?.();
    const mbps = (s: number) => (mib / s).toFixed(0);
    rows.push(
      `| ${name} | upload | ${mbps(rawUp.seconds)} | ${mbps(strataUp.seconds)} | **${(rawUp.seconds / strataUp.seconds).toFixed(2)}** | ${rawUp.rssMB.toFixed(0)} | ${strataUp.rssMB.toFixed(0)} |`,
      `| ${name} | download | ${mbps(rawDown.seconds)} | ${mbps(strataDown.seconds)} | **${(rawDown.seconds / strataDown.seconds).toFixed(2)}** | ${rawDown.rssMB.toFixed(0)} | ${strataDown.rssMB.toFixed(0)} |`,
    );
    console.error(rows.slice(-2).join('\n'));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(`\n${mib} MiB artifact, node ${process.version}\n`);
console.log(
  '| store | direction | raw SDK MiB/s | Strata MiB/s | ratio | raw peak RSS growth MB | Strata peak RSS growth MB |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
