/**
 * Docker orchestrator benchmark:
 *   node --import tsx --import ./packages/project/hooks/source-conditions.mjs bench/docker.ts [--rounds N] [--image-mode]
 * (needs `bash scripts/services/docker.sh`). Measures, in the same process and on the same engine:
 *  - per-step time of the quickstart on a docker stack (every step re-executed, --no-cache) against a
 *    raw `docker run --rm` of the same image, mounts and step command, step by step;
 *  - a rebuild-free second run (image tag reused, steps cached);
 *  - the image build for a never-seen project (mount mode; with --image-mode also a full copy build).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runPipeline, type Stack } from '@strata/core';
import { submitRun } from '@strata/core/plugin';
import { quickstart } from '@strata-examples/quickstart/pipeline';
import type { DockerOrchestrator } from '../src/index.js';
import { dockerProject } from '../test/project.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, 'image-mode': { type: 'boolean', default: false } },
});
const rounds = Number(values.rounds);
const workspace = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
const nodes = ['load_penguins', 'split', 'train', 'evaluate'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timedRun(stack: Stack, noCache: boolean) {
  const started = performance.now();
  const run = await (await runPipeline(quickstart, { stack, noCache })).wait();
  if (run.status !== 'completed') throw new Error(`run ${run.id} ${run.status}: ${run.error}`);
  return {
    run,
    ms: performance.now() - started,
    image: (stack.orchestrator as DockerOrchestrator).lastImage!,
  };
}

/** `docker run --rm` of the image with the orchestrator's mounts, env and step command. */
function rawStep(stack: Stack, root: string, image: string, runId: string, node: string): number {
  const command = stack.stepCommand!;
  const args = [
    'run',
    '--rm',
    '--init',
    '-v',
    `${workspace}:${workspace}:ro`,
    '-v',
    `${root}/.strata:${root}/.strata:rw`,
    '-e',
    `STRATA_PROJECT_ROOT=${root}`,
    '-e',
    `STRATA_STACK=${stack.name}`,
    '-w',
    root,
    image,
    'node',
    ...command.slice(1),
    '--run',
    runId,
    '--step',
    node,
    '--index=-1',
    '--stack',
    stack.name,
    '--no-cache',
  ];
  const started = performance.now();
  const result = spawnSync('docker', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`raw docker run of ${node} failed: ${result.stderr}`);
  return performance.now() - started;
}

const project = await dockerProject({
  streamLogs: false,
  imageRepository: `strata-bench-${randomUUID().slice(0, 8)}`,
});
const stack = await project.stack();
try {
  const first = await timedRun(stack, true);
  console.log(
    `first run (image ${first.image.built ? 'built' : 'reused'}: hash ${Math.round(first.image.hashMs)} ms over ${first.image.files} files, build ${Math.round(first.image.buildMs)} ms): ${Math.round(first.ms)} ms`,
  );
  const strataPerStep: number[] = [];
  const rawPerStep: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const { run, ms } = await timedRun(stack, true);
    strataPerStep.push(ms / nodes.length);
    // A recorded run whose steps no orchestrator executes: the raw `docker run`s execute them in order.
    const recorded = await submitRun(quickstart.compile({}, { projectRoot: project.root }), {
      stack: { ...stack, orchestrator: { flavor: 'raw', execute: async () => ({ detached: true }) } },
      noCache: true,
    });
    let raw = 0;
    for (const node of nodes) raw += rawStep(stack, project.root, first.image.ref, recorded.id, node);
    const rawRows = await stack.database.listStepRuns(recorded.id);
    if (rawRows.some((row) => row.status !== 'completed'))
      throw new Error(`raw run ${recorded.id} has steps that did not complete`);
    await stack.database.updateRun(recorded.id, { status: 'completed', endedAt: Date.now() });
    rawPerStep.push(raw / nodes.length);
    const rows = await stack.database.listStepRuns(run.id);
    if (rows.some((row) => row.status !== 'completed'))
      throw new Error(`run ${run.id} has steps that did not complete`);
    console.log(
      `round ${r + 1}: strata ${Math.round(ms / nodes.length)} ms/step, raw docker run ${Math.round(raw / nodes.length)} ms/step`,
    );
  }
  const second = await timedRun(stack, false);
  const cached = (await stack.database.listStepRuns(second.run.id)).filter(
    (r) => r.status === 'cached',
  ).length;
  const s = median(strataPerStep);
  const raw = median(rawPerStep);
  console.log('\n| measure | value |\n| --- | --- |');
  console.log(
    `| strata docker, per step (median of ${rounds} runs x ${nodes.length} steps) | ${Math.round(s)} ms |`,
  );
  console.log(`| raw \`docker run --rm\`, same image/mounts/command, per step | ${Math.round(raw)} ms |`);
  console.log(`| ratio (target <= 1.2) | ${(s / raw).toFixed(2)} |`);
  console.log(
    `| image build, never-seen project (mount mode, ${first.image.files} files hashed) | ${Math.round(first.image.hashMs + first.image.buildMs)} ms |`,
  );
  console.log(
    `| rebuild-free second run (tag reused: ${!second.image.built}, ${cached}/${nodes.length} steps cached) | ${Math.round(second.ms)} ms (hash check ${Math.round(second.image.hashMs)} ms) |`,
  );
  if (values['image-mode']) {
    const copy = await dockerProject({
      streamLogs: false,
      codeSource: 'image',
      imageRepository: `strata-bench-copy-${randomUUID().slice(0, 8)}`,
    });
    const copyStack = await copy.stack();
    try {
      const built = await timedRun(copyStack, true);
      const size = spawnSync('docker', ['image', 'inspect', '-f', '{{.Size}}', built.image.ref], {
        encoding: 'utf8',
      }).stdout.trim();
      console.log(
        `| image build, codeSource image (${built.image.files} files, ${(Number(size) / 2 ** 20).toFixed(0)} MiB image) | ${Math.round(built.image.hashMs + built.image.buildMs)} ms (hash ${Math.round(built.image.hashMs)} ms) |`,
      );
      console.log(`| quickstart run, codeSource image, first run incl. build | ${Math.round(built.ms)} ms |`);
      spawnSync('docker', ['rmi', '-f', built.image.ref]);
    } finally {
      await copyStack.close();
    }
  }
  console.log(`\nrecorded in ${join(project.root, '.strata')}`);
} finally {
  await stack.close();
}
