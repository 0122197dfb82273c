/**
 * Where a Strata run's time goes: runs the CLI once under `node --cpu-prof` and sums the profile's
 * self time by where the code lives (Node internals, tsx, the CLI, core, metadata/SQLite, ...).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export function bucketOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)' || fn === '(program)') return `${fn.slice(1, -1)} (waiting, native, start-up)`;
  if (url.startsWith('node:internal/modules/esm/hooks'))
    return 'ESM loader hooks for the pipeline file (waiting for the hooks thread to start, round trips)';
  if (url.startsWith('node:internal/modules') || url.startsWith('node:internal/deps/cjs-module-lexer'))
    return 'Node module loader (resolve, read, compile, link)';
  if (url === '' || url.startsWith('node:')) return 'Node internals (fs, url, native calls)';
  const m = /\/(packages|integrations)\/([^/]+)\//.exec(url);
  if (url.includes('/node_modules/')) {
    const pkg = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? 'dependency';
    if (pkg === 'tsx' || pkg === 'esbuild' || pkg === 'get-tsconfig')
      return 'tsx/esbuild (TypeScript compiler for the pipeline file)';
    return `dependency ${pkg}`;
  }
  if (m) return `@strata/${m[2]}`;
  return 'pipeline file and other';
}

export interface Bucket {
  bucket: string;
  ms: number;
  /** Distinct source files of this bucket that ran code (roughly: modules loaded). */
  files: number;
}

/** Self time (ms) per bucket, largest first. */
export function summarizeProfile(profile: CpuProfile): Bucket[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  const files = new Map<string, Set<string>>();
  for (const n of profile.nodes) {
    const bucket = bucketOf(n.callFrame.url, n.callFrame.functionName);
    if (!files.has(bucket)) files.set(bucket, new Set());
    if (n.callFrame.url) files.get(bucket)!.add(n.callFrame.url);
  }
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const bucket = bucketOf(node.callFrame.url, node.callFrame.functionName);
    totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals.entries()]
    .map(([bucket, ms]) => ({ bucket, ms, files: files.get(bucket)?.size ?? 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** The package (or workspace folder) of a script URL; '' for Node's own code. */
export function packageOf(url: string): string {
  if (url === '' || url.startsWith('node:')) return '';
  const dep = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  const ws = /\/(packages|integrations|bench|examples)\/([^/]+)\//.exec(url);
  return ws ? `${ws[1]}/${ws[2]}` : 'other';
}

/**
 * Inclusive time per package: a sample counts for every package on its stack (so loading a module,
 * which runs under its importer's frames, is charged to the importers). Largest first.
 */
export function inclusiveByPackage(profile: CpuProfile): { pkg: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const pkg = packageOf(byId.get(cur)?.callFrame.url ?? '');
      if (pkg === '' || seen.has(pkg)) continue;
      seen.add(pkg);
      totals.set(pkg, (totals.get(pkg) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
  });
  return [...totals.entries()].map(([pkg, ms]) => ({ pkg, ms })).sort((a, b) => b.ms - a.ms);
}

export function profileStrataRun(
  argv: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { totalMs: number; buckets: Bucket[]; inclusive: { pkg: string; ms: number }[] } {
  const dir = mkdtempSync(join(tmpdir(), 'strata-peers-prof-'));
  try {
    const [node, ...rest] = argv as [string, ...string[]];
    const result = spawnSync(node, ['--cpu-prof', '--cpu-prof-dir', dir, ...rest], {
      cwd,
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`profiled run failed: ${result.stderr}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('node --cpu-prof wrote no profile');
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    return {
      totalMs: (profile.endTime - profile.startTime) / 1000,
      buckets: summarizeProfile(profile),
      inclusive: inclusiveByPackage(profile).slice(0, 15),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
