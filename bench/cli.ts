/**
 * CLI start-up benchmark: `strata --help` and `strata stack list` on a project with 50 components and
 * 20 stacks, against bare `node -e 0` in the same run (interleaved, so machine load hits all three
 * alike). Target: median at most 150 ms above bare Node start.
 *
 *   pnpm tsc -b packages/cli && node --import tsx bench/cli.ts [--runs 21]
 *
 * The project is filled through the library (fast); the measured commands are the BUILT binary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
const runs = Number(values.runs);
const bin = resolve(import.meta.dirname, '../packages/cli/bin/strata.js');
const root = await mkdtemp(join(tmpdir(), 'strata-bench-cli-'));
process.env.STRATA_PROJECT_ROOT = root;

// Resolved from packages/cli, which depends on @strata/project (the workspace root does not).
const fromCli = createRequire(resolve(import.meta.dirname, '../packages/cli/package.json'));
const { initProject, openProject, registerComponent, registerStack } = (await import(
  pathToFileURL(fromCli.resolve('@strata/project')).href
)) as {
  initProject(root: string): Promise<unknown>;
  openProject(options: { cwd: string }): Promise<{ close(): Promise<void> }>;
  registerComponent(
    project: unknown,
    input: { type: string; name: string; flavor: string; raw: Record<string, string> },
  ): Promise<unknown>;
  registerStack(project: unknown, name: string, components: Record<string, string>): Promise<unknown>;
};
await initProject(root);
const project = await openProject({ cwd: root });
for (let i = 0; i < 25; i++) {
  await registerComponent(project, {
    type: 'orchestrator',
    name: `orch-${i}`,
    flavor: 'local',
    raw: { concurrency: String(1 + (i % 8)) },
  });
  await registerComponent(project, {
    type: 'artifact_store',
    name: `store-${i}`,
    flavor: 'local',
    raw: { path: `arts/${i}` },
  });
}
for (let i = 0; i < 20; i++)
  await registerStack(project, `stack-${i}`, { orchestrator: `orch-${i}`, artifact_store: `store-${i}` });
await project.close();

const commands: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'strata --help': [bin, '--help'],
  'strata stack list': [bin, 'stack', 'list'],
};
// Wall time, and CPU time (user + sys, via /usr/bin/time) which contention on a busy machine inflates less.
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const wall: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
const env = { ...process.env, STRATA_PROJECT_ROOT: root, NO_COLOR: '1' };
for (let r = 0; r < runs + 1; r++) {
  for (const [name, args] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const result = timeBin
      ? spawnSync(timeBin, ['-f', 'cpu %U %S', process.execPath, ...args], { env, encoding: 'utf8' })
      : spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    if (name === 'strata stack list' && !result.stdout.includes('stack-19'))
      throw new Error('stack list is missing stacks');
    if (r === 0) continue; // the first round warms the file cache
    wall[name]!.push(ms);
    const m = /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr);
    if (m) cpu[name]!.push((Number(m[1]) + Number(m[2])) * 1000);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const base = median(wall['node -e 0']!);
const cpuBase = median(cpu['node -e 0']!);
console.log(
  `${runs} interleaved runs; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  '| command | wall median ms | wall min ms | wall above `node -e 0` | CPU median ms | CPU above `node -e 0` |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const name of Object.keys(commands)) {
  const w = wall[name]!;
  const c = cpu[name]!;
  const isBase = name === 'node -e 0';
  console.log(
    `| \`${name}\` | ${median(w).toFixed(0)} | ${Math.min(...w).toFixed(0)} | ${isBase ? '-' : `${(median(w) - base).toFixed(0)} ms`} | ${median(c).toFixed(0)} | ${isBase ? '-' : `${(median(c) - cpuBase).toFixed(0)} ms`} |`,
  );
}
await rm(root, { recursive: true, force: true });
