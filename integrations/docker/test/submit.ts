/**
 * `node --import tsx --import <source hook> test/submit.ts ROOT STACK MODULE EXPORT [--no-cache]`:
 * submits a pipeline the way `strata run` does (from a tsx process, so step code hashes match the
 * ones the step containers compute) and prints `{ runId, status, image }` as JSON on its last line.
 */
import { pathToFileURL } from 'node:url';
import { type PipelineDefinition, runPipeline } from '@strata/core';
import { openStack } from '@strata/project';
import type { DockerOrchestrator } from '../src/index.js';

const [root, stackName, module, name] = process.argv.slice(2) as [string, string, string, string];
const pipeline = ((await import(pathToFileURL(module).href)) as Record<string, PipelineDefinition>)[name]!;
const stack = await openStack({ cwd: root, stack: stackName });
try {
  const handle = await runPipeline(pipeline, { stack, noCache: process.argv.includes('--no-cache') });
  console.log(JSON.stringify({ started: handle.id }));
  const run = await handle.wait();
  const image = (stack.orchestrator as Partial<DockerOrchestrator>).lastImage;
  console.log(JSON.stringify({ runId: run.id, status: run.status, error: run.error, image }));
} finally {
  await stack.close();
}
