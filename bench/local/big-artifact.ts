/**
 * A 1 GiB artifact saved (file output: hashed and content-addressed into the local store) and loaded
 * (streamed back with its sha256 verified), against a raw stream copy of the same file in the same
 * process; peak RSS from /proc/self/status (VmHWM). Runs in a fresh child process so the RSS is this
 * work's alone. Targets: throughput ratio >= 0.7, peak RSS < 300 MB.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pump } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { loadArtifact, MaterializerRegistry, saveArtifact, t } from '../../packages/core/src/index.js';
import { createTemporaryStack, fmt, machine, table, timed } from './support.js';

const SIZE = Number(process.env.BENCH_ARTIFACT_BYTES ?? 2 ** 30);

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

async function makeFile(path: string): Promise<void> {
  const block = randomBytes(1 << 20);
  const out = createWriteStream(path);
  for (let written = 0; written < SIZE; written += block.length) {
    const chunk = written + block.length <= SIZE ? block : block.subarray(0, SIZE - written);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await new Promise<void>((r) => out.once('finish', () => r()));
}

/** The measurement, in the child process: prints one JSON line. */
async function measure(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'strata-bench-big-'));
  const temp = await createTemporaryStack();
  try {
    const source = join(work, 'source.bin');
    await makeFile(source);
    const io = { store: temp.stack.artifactStore, materializers: new MaterializerRegistry() };
    // The raw copy uses the same 1 MiB reads as the store; it runs before and after the Strata
    // operations and the faster of the two counts, so page-cache warm-up never flatters Strata.
    const rawCopy = () =>
      timed(async () => {
        await pump(
          createReadStream(source, { highWaterMark: 1 << 20 }),
          createWriteStream(join(work, 'copy.bin')),
        );
        await rm(join(work, 'copy.bin'));
      });
    // Dirty pages are flushed between operations (untimed), so no operation pays for another's
    // write-back.
    const settle = () => spawnSync('sync');
    settle();
    const rawBefore = await rawCopy();
    settle();
    const kernelCopy = await timed(() => copyFile(source, join(work, 'copy2.bin')));
    await rm(join(work, 'copy2.bin'));
    settle();
    const saved = await timed(() => saveArtifact(io, t.file(), { path: source }, 'bench/step'));
    settle();
    const scratch = await mkdtemp(join(work, 'load-'));
    const loaded = await timed(() => loadArtifact(io, saved.value, scratch) as Promise<{ path: string }>);
    const size = (await stat(loaded.value.path)).size;
    if (size !== SIZE) throw new Error(`loaded ${size} bytes, expected ${SIZE}`);
    await rm(loaded.value.path);
    settle();
    const rawAfter = await rawCopy();
    const rawMs = Math.min(rawBefore.ms, rawAfter.ms);
    process.stdout.write(
      `${JSON.stringify({ rawMs, kernelMs: kernelCopy.ms, saveMs: saved.ms, loadMs: loaded.ms, peakRssMb: peakRssMb() })}\n`,
    );
  } finally {
    await temp.cleanup();
    await rm(work, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, [...process.execArgv, self, '--child'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`big-artifact child failed: ${result.signal ?? result.status}`);
  const m = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  const mbps = (ms: number) => fmt(SIZE / 2 ** 20 / (ms / 1000), 0);
  console.log(
    `\n${fmt(SIZE / 2 ** 30, 2)} GiB artifact (file output), local store (targets: ratio >= 0.7, peak RSS < 300 MB)`,
  );
  console.log(`machine: ${machine()}\n`);
  table(
    ['operation', 'seconds', 'MiB/s', 'ratio to raw stream copy'],
    [
      ['raw stream copy (fs streams, 1 MiB reads; best of 2)', fmt(m.rawMs! / 1000), mbps(m.rawMs!), '1.00'],
      [
        'copyFile (kernel copy, reference)',
        fmt(m.kernelMs! / 1000),
        mbps(m.kernelMs!),
        fmt(m.rawMs! / m.kernelMs!),
      ],
      [
        'save (sha256 + content-addressed put)',
        fmt(m.saveMs! / 1000),
        mbps(m.saveMs!),
        fmt(m.rawMs! / m.saveMs!),
      ],
      ['load (verified read into a file)', fmt(m.loadMs! / 1000), mbps(m.loadMs!), fmt(m.rawMs! / m.loadMs!)],
    ],
  );
  console.log(`\npeak RSS of the measuring process (VmHWM): ${fmt(m.peakRssMb!, 0)} MB`);
}

if (process.argv.includes('--child')) await measure();
else if (import.meta.url === `file://${process.argv[1]}`) await run();
