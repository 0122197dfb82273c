/**
 * Issue 22's start-up profile: where `strata run one.ts --no-cache` (a 1-step TypeScript pipeline)
 * spends its main thread, per checkout, from `node --cpu-prof` profiles taken in interleaved rounds
 * (so machine load inflates every column alike). Self time is summed into what start-up pays for:
 * compiling JavaScript (or reading V8's code cache), the module loader, Node's bootstrap, Strata's
 * and its dependencies' own code (module top-levels included), SQLite, garbage collection.
 *
 *   node --import tsx bench/peers/startup-profile.ts [--rounds 5] ROOT=label ...
 *
 * Each checkout must be built (`pnpm build`). The first, untimed run of each fills its caches.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

const ONE = `import { pipeline, step, t } from '@strata/core';

const start = step({ name: 'start', outputs: { x: t.number() }, run: () => ({ x: 0 }) });

export const one = pipeline({ name: 'bench_one', body: () => { start(); } });
`;

/** The start-up cost a profile sample belongs to. */
export function categoryOf(fn: string, url: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)') return 'idle (waiting on I/O)';
  if (fn === '(program)') return 'V8 and Node native code, unattributed';
  if (fn === 'compileSourceTextModule' || (fn === 'Script' && url === 'node:vm') || fn === 'wrapSafe')
    return 'compiling JavaScript, or reading it from the code cache';
  if (
    url.startsWith('node:internal/modules') ||
    url.includes('cjs-module-lexer') ||
    url.includes('/start/compile-cache.') ||
    ['realpathSync', 'readFileUtf8', 'internalModuleStat', 'openFileHandle'].includes(fn) ||
    ['node:internal/url', 'node:path', 'node:fs', 'node:internal/crypto/hash'].includes(url)
  )
    return 'module loader (resolve, read, link; cache keys)';
  if (url.startsWith('node:internal/bootstrap') || /pre_execution|run_main/.test(url))
    return "Node's bootstrap and built-in modules";
  if (/better-sqlite3/.test(url) || fn === 'executeQuery') return 'SQLite (statements, open, close)';
  if (/\/(packages|integrations)\/|\/node_modules\//.test(url))
    return "Strata's and dependencies' code (module top-levels included)";
  return 'other Node internals';
}

function profileOnce(bin: string, dir: string, out: string): Map<string, number> {
  rmSync(out, { recursive: true, force: true });
  const result = spawnSync(
    process.execPath,
    ['--cpu-prof', '--cpu-prof-dir', out, '--cpu-prof-interval', '200', bin, 'run', 'one.ts', '--no-cache'],
    { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, STRATA_PROJECT_ROOT: dir, NO_COLOR: '1' } },
  );
  if (result.status !== 0) throw new Error(`${bin} failed: ${result.stderr}`);
  const profile = JSON.parse(readFileSync(join(out, readdirSync(out)[0]!), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const sums = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!;
    const key = categoryOf(frame.functionName, frame.url);
    sums.set(key, (sums.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return sums;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { rounds: { type: 'string', default: '5' } },
  });
  const checkouts = positionals.map((p) => {
    const [root, label] = p.split('=') as [string, string | undefined];
    return { root: resolve(root), label: label ?? root };
  });
  const tmp = mkdtempSync(join(tmpdir(), 'strata-startup-profile-'));
  try {
    const projects = checkouts.map((c, i) => {
      const dir = join(tmp, `p${i}`);
      mkdirSync(dir);
      const bin = join(c.root, 'packages/cli/bin/strata.js');
      const env = { PATH: process.env.PATH, HOME: dir, STRATA_PROJECT_ROOT: dir, NO_COLOR: '1' };
      execFileSync(process.execPath, [bin, 'init'], { cwd: dir, env, stdio: 'ignore' });
      symlinkSync(join(c.root, 'examples/quickstart/node_modules'), join(dir, 'node_modules'));
      writeFileSync(join(dir, 'one.ts'), ONE);
      profileOnce(bin, dir, join(tmp, 'warm'));
      return { ...c, bin, dir, runs: [] as Map<string, number>[] };
    });
    const loads: number[] = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const p of round % 2 === 0 ? projects : [...projects].reverse()) {
        p.runs.push(profileOnce(p.bin, p.dir, join(tmp, 'prof')));
        loads.push(loadavg()[0]!);
      }
    }
    const mean = (runs: Map<string, number>[], key: string) =>
      runs.reduce((sum, run) => sum + (run.get(key) ?? 0), 0) / runs.length;
    const keys = [...new Set(projects.flatMap((p) => p.runs.flatMap((r) => [...r.keys()])))].sort(
      (a, b) => mean(projects[0]!.runs, b) - mean(projects[0]!.runs, a),
    );
    console.log(
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${values.rounds} interleaved profiles per checkout, load ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}\n`,
    );
    console.log(`| main-thread self time, mean ms | ${projects.map((p) => p.label).join(' | ')} |`);
    console.log(`|---|${projects.map(() => '---:').join('|')}|`);
    for (const key of keys) {
      console.log(`| ${key} | ${projects.map((p) => mean(p.runs, key).toFixed(0)).join(' | ')} |`);
    }
    const total = (p: (typeof projects)[number]) =>
      p.runs.reduce((s, r) => s + [...r.values()].reduce((a, b) => a + b, 0), 0) / p.runs.length;
    console.log(`| **total profiled** | ${projects.map((p) => `**${total(p).toFixed(0)}**`).join(' | ')} |`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
