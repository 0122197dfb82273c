/**
 * A 1 GiB artifact saved (file output: hashed and content-addressed into the local store) and loaded
 * (its sha256 verified, into a file), against a raw stream copy of the same file in the same process;
 * peak RSS from /proc/self/status (VmHWM). Each round runs in a fresh child process, so the RSS is
 * that round's alone. Targets: throughput ratio >= 0.7, peak RSS < 300 MB.
 *
 * `pnpm bench local -- big-artifact [--rounds N] [--baseline GIT_REF] [--kind file|bytes]`: with `--baseline`, that
 * commit's packages/core and integrations/local are extracted to a temporary folder and measured in
 * the same run, alternating child processes with the working tree's code, so a busy machine hits
 * both alike. Figures are medians over the rounds; each round's ratios use its own raw copies.
 */
import { execSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline as pump } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, machine, table, timed } from './support.js';

const SIZE = Number(process.env.BENCH_ARTIFACT_BYTES ?? 2 ** 30);
const KIND = option('kind') ?? 'file';
const repoRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}

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

interface Sample {
  readonly rawMs: number;
  readonly rawBeforeMs: number;
  readonly rawAfterMs: number;
  readonly kernelMs: number;
  readonly saveMs: number;
  readonly loadMs: number;
  readonly saveCpuMs: number;
  readonly loadCpuMs: number;
  readonly rawCpuMs: number;
  readonly peakRssMb: number;
}

/** One round, in a child process, with the code under `root`: prints one JSON line (a Sample). */
async function measure(root: string, source: string): Promise<void> {
  type Core = typeof import('../../packages/core/src/index.js') &
    typeof import('../../packages/core/src/plugin.js');
  type Local = typeof import('../../integrations/local/src/local-artifact-store.js');
  // The baseline `root` may predate the split of core's entry points (plugin.ts): read both when there.
  const entry = (name: string) => import(pathToFileURL(join(root, 'packages/core/src', name)).href);
  const plugin = existsSync(join(root, 'packages/core/src/plugin.ts')) ? await entry('plugin.ts') : {};
  const core = { ...(await entry('index.ts')), ...plugin } as Core;
  const { LocalArtifactStore } = (await import(
    pathToFileURL(join(root, 'integrations/local/src/local-artifact-store.ts')).href
  )) as Local;
  const work = await mkdtemp(join(dirname(source), 'round-'));
  try {
    const store = new LocalArtifactStore(join(work, 'store'));
    const io = { store, materializers: new core.MaterializerRegistry() };
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
    // An untimed copy first: a fresh process's first 1 GiB of 1 MiB buffers pays page faults that
    // later ones do not (the allocator keeps the freed memory), so every timed raw copy is a warm one.
    await rawCopy();
    settle();
    const rawBefore = await rawCopy();
    settle();
    const kernelCopy = await timed(() => copyFile(source, join(work, 'copy2.bin')));
    await rm(join(work, 'copy2.bin'));
    settle();
    // `--kind bytes`: the same bytes as a Uint8Array output (read into memory before the clock starts).
    const file = KIND === 'bytes' ? readFileSync(source) : undefined;
    const bytes = file ? new Uint8Array(file.buffer, file.byteOffset, file.byteLength) : undefined;
    const saved = await timed(() =>
      bytes
        ? core.saveArtifact(io, core.t.bytes(), bytes, 'bench/step')
        : core.saveArtifact(io, core.t.file(), { path: source }, 'bench/step'),
    );
    settle();
    const scratch = await mkdtemp(join(work, 'load-'));
    const loaded = await timed(() => core.loadArtifact(io, saved.value, scratch));
    const size = bytes
      ? (loaded.value as Uint8Array).byteLength
      : (await stat((loaded.value as { path: string }).path)).size;
    if (size !== SIZE) throw new Error(`loaded ${size} bytes, expected ${SIZE}`);
    await rm(scratch, { recursive: true });
    await store.delete(saved.value.storeKey);
    settle();
    const rawAfter = await rawCopy();
    const raw = rawBefore.ms <= rawAfter.ms ? rawBefore : rawAfter;
    const sample: Sample = {
      rawMs: raw.ms,
      rawBeforeMs: rawBefore.ms,
      rawAfterMs: rawAfter.ms,
      rawCpuMs: raw.cpuMs,
      kernelMs: kernelCopy.ms,
      saveMs: saved.ms,
      saveCpuMs: saved.cpuMs,
      loadMs: loaded.ms,
      loadCpuMs: loaded.cpuMs,
      peakRssMb: peakRssMb(),
    };
    process.stdout.write(`${JSON.stringify(sample)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Extracts `ref`'s core and local store next to symlinks of this checkout's node_modules. */
async function extractBaseline(ref: string, into: string): Promise<void> {
  const parts = ['packages/core', 'integrations/local'];
  execSync(`git archive ${JSON.stringify(ref)} ${parts.join(' ')} | tar -x -C ${JSON.stringify(into)}`, {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await symlink(join(repoRoot, 'node_modules'), join(into, 'node_modules'));
  for (const part of parts)
    await symlink(join(repoRoot, part, 'node_modules'), join(into, part, 'node_modules'));
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function run(): Promise<void> {
  const rounds = Number(option('rounds') ?? 3);
  const baseline = option('baseline');
  const work = await mkdtemp(join(tmpdir(), 'strata-bench-big-'));
  try {
    const source = join(work, 'source.bin');
    await makeFile(source);
    const variants = [{ name: 'working tree', root: repoRoot }];
    if (baseline) {
      const root = join(work, 'baseline');
      await mkdir(root);
      await extractBaseline(baseline, root);
      variants.unshift({ name: `baseline ${baseline}`, root });
    }
    const loadBefore = loadavg();
    const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
    const self = fileURLToPath(import.meta.url);
    for (let round = 0; round < rounds; round++) {
      // Alternate which variant goes first, so neither always follows the other's write-back.
      for (const variant of round % 2 ? [...variants].reverse() : variants) {
        const result = spawnSync(
          process.execPath,
          [...process.execArgv, self, '--child', variant.root, source, '--kind', KIND],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        );
        if (result.status !== 0) {
          throw new Error(`big-artifact child failed: ${result.signal ?? result.status}`);
        }
        samples.get(variant.name)!.push(JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Sample);
      }
    }
    const mbps = (ms: number) => fmt(SIZE / 2 ** 20 / (ms / 1000), 0);
    console.log(
      `\n${fmt(SIZE / 2 ** 30, 2)} GiB artifact (${KIND === 'bytes' ? 'Uint8Array' : 'file'} output), local store (targets: ratio >= 0.7, peak RSS < 300 MB)`,
    );
    console.log(
      `machine: ${machine()} (load average at start ${loadBefore.map((l) => l.toFixed(1)).join(' ')})`,
    );
    console.log(`${rounds} round(s) per variant, one child process each; medians, ratios per round\n`);
    const rows: string[][] = [];
    for (const [name, list] of samples) {
      const m = (pick: (s: Sample) => number) => median(list.map(pick));
      const row = (op: string, ms: number, ratio: number, cpuMs: number | undefined) => [
        name,
        op,
        fmt(ms / 1000),
        mbps(ms),
        fmt(ratio),
        cpuMs === undefined ? '' : fmt(cpuMs / 1000),
      ];
      rows.push(
        row(
          'raw stream copy (1 MiB reads; best of 2)',
          m((s) => s.rawMs),
          1,
          m((s) => s.rawCpuMs),
        ),
      );
      rows.push(
        row(
          'copyFile (kernel copy, reference)',
          m((s) => s.kernelMs),
          m((s) => s.rawMs / s.kernelMs),
          undefined,
        ),
      );
      rows.push(
        row(
          'save',
          m((s) => s.saveMs),
          m((s) => s.rawMs / s.saveMs),
          m((s) => s.saveCpuMs),
        ),
      );
      rows.push(
        row(
          'load',
          m((s) => s.loadMs),
          m((s) => s.rawMs / s.loadMs),
          m((s) => s.loadCpuMs),
        ),
      );
    }
    table(['code', 'operation', 'seconds', 'MiB/s', 'ratio to raw copy', 'CPU s'], rows);
    // Every child runs the same raw copy, so the median over all of them is a steadier reference
    // than one child's best of two (the machine's other work moves single copies by 2-5x).
    const pooledRaw = median([...samples.values()].flat().flatMap((s) => [s.rawBeforeMs, s.rawAfterMs]));
    console.log(
      `\nraw stream copy, median over every child: ${fmt(pooledRaw / 1000)} s (${mbps(pooledRaw)} MiB/s)`,
    );
    for (const [name, list] of samples) {
      const m = (pick: (s: Sample) => number) => median(list.map(pick));
      console.log(
        `${name}: against it, save ${fmt(pooledRaw / m((s) => s.saveMs))}, load ${fmt(pooledRaw / m((s) => s.loadMs))}`,
      );
    }
    for (const [name, list] of samples) {
      const peak = Math.max(...list.map((s) => s.peakRssMb));
      console.log(`\n${name}: peak RSS ${fmt(peak, 0)} MB (VmHWM, max over rounds); per round, seconds:`);
      for (const s of list) {
        const secs = (ms: number) => fmt(ms / 1000);
        console.log(
          `  raw ${secs(s.rawBeforeMs)} before / ${secs(s.rawAfterMs)} after, save ${secs(s.saveMs)} (ratio ${fmt(s.rawMs / s.saveMs)}), load ${secs(s.loadMs)} (ratio ${fmt(s.rawMs / s.loadMs)})`,
        );
      }
    }
    console.log(
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const child = process.argv.indexOf('--child');
if (child >= 0) await measure(process.argv[child + 1]!, process.argv[child + 2]!);
else if (import.meta.url === `file://${process.argv[1]}`) await run();
