/**
 * 1 GiB through Strata (writeBlob/readBlob: sha256 + either a spool file and the store's upload, or,
 * for stores with a server-side `copy`, an upload to a staging key in the same pass and a copy; verified download)
 * against the raw SDK upload/download of the same bytes, on the same loopback server, in one run.
 * "(before)" rows measure the previous paths in the same rounds: the spool file streamed into put()
 * (s3: a lib-storage Upload, as putFile did before), and downloads on the SDK's node:http transport
 * instead of core's httpGet.
 *
 *   bash scripts/services/all.sh s3 gcs azure && source .services/env
 *   pnpm tsc -b tsconfig.build.json && node --import tsx bench/artifact-stores.ts [s3] [gcs] [azure] [--mib 1024] [--reps 2]
 *
 * Runs on the built packages (dist): the `source` condition would also redirect third-party packages
 * that publish one. Each round runs raw and Strata back to back (order alternating between rounds);
 * the table gives median throughputs, the median of the per-round ratios, CPU seconds of this
 * process, the peak RSS growth and the load average, as Markdown for docs/benchmarks.md.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
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
  /** The same store on the SDK's own HTTP transport (node:http) for GETs: downloads as before core's httpGet. */
  sdkTransport?: ArtifactStore;
  /** Also measure the spool file streamed into put() (how s3's putFile uploaded before). */
  streamPutBefore?: boolean;
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
    // Staged, so that both upload paths are measured (the spool path through the store without copy).
    uploadMode: 'staged',
  });
  await ensureS3Bucket(config);
  const store = (await (await s3ArtifactStoreFlavor.load())(config, undefined as never)) as ArtifactStore;
  const { S3ArtifactStore } = await import('../integrations/s3/dist/artifact-store.js');
  const { createS3Client } = await import('../integrations/s3/dist/client.js');
  const sdkTransport = new S3ArtifactStore({
    client: createS3Client(config),
    bucket: config.bucket,
    endpoint: config.endpoint!,
    partSize: config.partSizeMiB * MiB,
    concurrency: config.concurrency,
  });
  return { store, sdkTransport, streamPutBefore: true, raw: rawS3(config) };
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
  const { AzureArtifactStore } = await import('../integrations/azure/dist/artifact-store.js');
  const { createBlobServiceClient } = await import('../integrations/azure/dist/client.js');
  const sdkTransport = new AzureArtifactStore({
    service: createBlobServiceClient(config),
    container: config.container,
    blockSize: config.blockSizeMiB * MiB,
    concurrency: config.concurrency,
  });
  return { store, sdkTransport, raw: rawAzure(config) };
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
  /** CPU time (user + system) of this process, seconds. */
  cpu: number;
  rssMB: number;
}

/** Runs `work`, returning seconds, CPU seconds and the peak RSS growth over the RSS before it. */
async function measure(work: () => Promise<void>): Promise<Measured> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const cpu = process.cpuUsage();
  const start = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const used = process.cpuUsage(cpu);
  return {
    seconds: (performance.now() - start) / 1000,
    cpu: (used.user + used.system) / 1e6,
    rssMB: (Math.max(peak, process.memoryUsage().rss) - before) / 1e6,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

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
    // Paired rounds: raw and Strata back to back, in alternating order, so load from other processes
    // hits both alike; the ratio reported is the median of the per-round ratios.
    const rounds: {
      rawUp: Measured;
      strataUp: Measured;
      rawDown: Measured;
      strataDown: Measured;
      spoolUp?: Measured;
      streamUp?: Measured;
      sdkDown?: Measured;
    }[] = [];
    // The same store without `copy`: the spool-then-upload path writeBlob took before staged uploads.
    const spooling = subject.store.copy
      ? (Object.create(subject.store, { copy: { value: undefined } }) as ArtifactStore)
      : undefined;
    // Spool path with the spool file streamed into put() (a lib-storage Upload for s3), as s3's
    // putFile did before it uploaded parts from the file itself.
    const streaming = subject.streamPutBefore
      ? (Object.create(subject.store, {
          copy: { value: undefined },
          putFile: { value: undefined },
        }) as ArtifactStore)
      : undefined;
    let key = '';
    const loadBefore = load();
    for (let rep = 0; rep < reps; rep++) {
      await subject.raw.remove(rawKey);
      if (key) await subject.store.delete(key);
      const up = {
        raw: () => measure(() => subject.raw.upload(source, rawKey)),
        strata: () =>
          measure(async () => {
            const blob = await writeBlob(subject.store, (s) =>
              pipeline(createReadStream(source, { highWaterMark: MiB }), s, { end: false }),
            );
            if (blob.sha256 !== digest) throw new Error('digest mismatch');
            key = blob.key;
          }),
      };
      const down = {
        raw: () => measure(async () => pipeline(await subject.raw.download(rawKey), sink())),
        strata: () => measure(async () => pipeline(await readBlob(subject.store, key, digest), sink())),
      };
      const strataFirst = rep % 2 === 1;
      const pair = async (p: typeof up) =>
        strataFirst
          ? { strata: await p.strata(), raw: await p.raw() }
          : { raw: await p.raw(), strata: await p.strata() };
      const u = await pair(up);
      let spoolUp: Measured | undefined;
      if (spooling) {
        await subject.store.delete(key);
        spoolUp = await measure(async () => {
          const blob = await writeBlob(spooling, (s) =>
            pipeline(createReadStream(source, { highWaterMark: MiB }), s, { end: false }),
          );
          if (blob.sha256 !== digest) throw new Error('digest mismatch');
        });
      }
      let streamUp: Measured | undefined;
      if (streaming) {
        await subject.store.delete(key);
        streamUp = await measure(async () => {
          const blob = await writeBlob(streaming, (s) =>
            pipeline(createReadStream(source, { highWaterMark: MiB }), s, { end: false }),
          );
          if (blob.sha256 !== digest) throw new Error('digest mismatch');
        });
      }
      const d = await pair(down);
      const sdkTransport = subject.sdkTransport;
      const sdkDown = sdkTransport
        ? await measure(async () => pipeline(await readBlob(sdkTransport, key, digest), sink()))
        : undefined;
      rounds.push({
        rawUp: u.raw,
        strataUp: u.strata,
        rawDown: d.raw,
        strataDown: d.strata,
        ...(spoolUp ? { spoolUp } : {}),
        ...(streamUp ? { streamUp } : {}),
        ...(sdkDown ? { sdkDown } : {}),
      });
      console.error(
        `${name} round ${rep + 1}: upload ${(u.raw.seconds / u.strata.seconds).toFixed(2)}${spoolUp ? ` (spool ${(u.raw.seconds / spoolUp.seconds).toFixed(2)})` : ''}${streamUp ? ` (spool, stream put ${(u.raw.seconds / streamUp.seconds).toFixed(2)})` : ''}, download ${(d.raw.seconds / d.strata.seconds).toFixed(2)}${sdkDown ? ` (SDK transport ${(d.raw.seconds / sdkDown.seconds).toFixed(2)})` : ''} (load ${load()})`,
      );
    }
    if (rounds.length === 0) throw new Error('no repetitions');
    await subject.raw.remove(rawKey);
    await subject.store.delete(key);
    await subject.store.close?.();
    const mbps = (s: number) => (mib / s).toFixed(0);
    const row = (direction: string, raw: Measured[], strata: Measured[]) => {
      const ratio = median(raw.map((r, i) => r.seconds / strata[i]!.seconds));
      const cell = (m: Measured[]) => `${mbps(median(m.map((x) => x.seconds)))}`;
      const cpu = (m: Measured[]) => median(m.map((x) => x.cpu)).toFixed(1);
      const rss = (m: Measured[]) => Math.max(...m.map((x) => x.rssMB)).toFixed(0);
      return `| ${name} | ${direction} | ${cell(raw)} | ${cell(strata)} | **${ratio.toFixed(2)}** ${ratio >= 0.9 ? 'yes' : 'no'} | ${cpu(raw)} / ${cpu(strata)} | ${rss(raw)} | ${rss(strata)} | ${loadBefore} -> ${load()} |`;
    };
    rows.push(
      row(
        spooling ? 'upload, staged + copy' : 'upload, spool',
        rounds.map((r) => r.rawUp),
        rounds.map((r) => r.strataUp),
      ),
      ...(spooling
        ? [
            row(
              'upload, spool',
              rounds.map((r) => r.rawUp),
              rounds.map((r) => r.spoolUp!),
            ),
          ]
        : []),
      ...(streaming
        ? [
            row(
              'upload, spool, file streamed into put() (before)',
              rounds.map((r) => r.rawUp),
              rounds.map((r) => r.streamUp!),
            ),
          ]
        : []),
      row(
        'download',
        rounds.map((r) => r.rawDown),
        rounds.map((r) => r.strataDown),
      ),
      ...(subject.sdkTransport
        ? [
            row(
              "download, SDK's node:http transport (before)",
              rounds.map((r) => r.rawDown),
              rounds.map((r) => r.sdkDown!),
            ),
          ]
        : []),
    );
    await subject.sdkTransport?.close?.();
    console.error(rows.slice(-4).join('\n'));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(`\n${mib} MiB artifact, node ${process.version}\n`);
console.log(
  `${reps} paired rounds per store (median); ratio = raw seconds / Strata seconds, "yes" when >= 0.9\n`,
);
console.log(
  '| store | direction | raw SDK MiB/s | Strata MiB/s | ratio ≥ 0.9 | CPU s raw / Strata | raw peak RSS growth MB | Strata peak RSS growth MB | load avg (1/5/15 min) before -> after |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const row of rows) console.log(row);
