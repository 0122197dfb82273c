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
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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
)) as typeof import('@strata/project');
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
const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
const env = { ...process.env, STRATA_PROJECT_ROOT: root, NO_COLOR: '1' };
for (let r = 0; r < runs + 1; r++) {
  for (const [name, args] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    if (name === 'strata stack list' && !result.stdout.includes('stack-19'))
      throw new Error('stack list is missing stacks');
    if (r > 0) times[name]!.push(ms); // the first round warms the file cache
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times['node -e 0']!);
console.log(`| command | median ms | min ms | above node -e 0 (median) |`);
console.log(`|---|---:|---:|---:|`);
for (const [name, xs] of Object.entries(times)) {
  console.log(
    `| \`${name}\` | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${name === 'node -e 0' ? '-' : `${(median(xs) - base).toFixed(0)} ms`} |`,
  );
}
await rm(root, { recursive: true, force: true });
