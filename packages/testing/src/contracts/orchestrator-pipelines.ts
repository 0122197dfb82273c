/**
 * The pipelines of the orchestrator contract (see orchestrator-contract.ts). They live in a module of
 * their own so that every orchestrator can run them where it runs steps: a child process, a container
 * or a Temporal worker imports this file by the path recorded in the run's snapshot. Steps share state
 * with the test only through `dir`, a directory the harness says both sides can see.
 */
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, step, t, when } from '@strata/core';
import { z } from 'zod';

const dirParam = z.object({ dir: z.string().min(1) });
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

// --- order: data dependencies and `after` ---------------------------------------------------------

const first = step({
  name: 'first',
  outputs: { trail: t.json<string[]>() },
  params: dirParam,
  run: () => ({ trail: ['first'] }),
});
const append = step({
  name: 'append',
  inputs: { trail: t.json<string[]>() },
  outputs: { trail: t.json<string[]>() },
  params: z.object({ label: z.string() }),
  run: ({ trail }, { label }) => ({ trail: [...trail, label] }),
});
const last = step({
  name: 'last',
  outputs: { done: t.boolean() },
  run: () => ({ done: true }),
});

export const orderPipeline = pipeline({
  name: 'contract-order',
  params: dirParam,
  body({ dir }) {
    const a = first({}, { params: { dir } });
    const b = append({ trail: a.trail }, { id: 'second', params: { label: 'second' } });
    const c = append({ trail: b.trail }, { id: 'third', params: { label: 'third' } });
    last({}, { after: [c] });
  },
});

// --- concurrency: independent steps ---------------------------------------------------------------

const nap = step({
  name: 'nap',
  outputs: { pid: t.number() },
  params: z.object({ dir: z.string(), ms: z.number().int(), label: z.string() }),
  async run(_inputs, { ms }, ctx) {
    await sleep(ms, ctx.signal);
    return { pid: process.pid };
  },
});

export const parallelPipeline = pipeline({
  name: 'contract-parallel',
  params: z.object({ dir: z.string(), ms: z.number().int().default(3000) }),
  body({ dir, ms }) {
    for (const label of ['a', 'b', 'c']) nap({}, { id: `nap-${label}`, params: { dir, ms, label } });
  },
});

// --- map: fan-out and fan-in ----------------------------------------------------------------------

const numbers = step({
  name: 'numbers',
  outputs: { items: t.json<number[]>() },
  params: z.object({ dir: z.string(), count: z.number().int().min(1) }),
  run: (_inputs, { count }) => ({ items: Array.from({ length: count }, (_, i) => i) }),
});
const square = step({
  name: 'square',
  inputs: { item: t.json<number>() },
  outputs: { value: t.json<number>() },
  run: ({ item }) => ({ value: item * item }),
});
const total = step({
  name: 'total',
  inputs: { values: t.json<number[]>() },
  outputs: { sum: t.number() },
  run: ({ values }) => ({ sum: values.reduce((a, b) => a + b, 0) }),
});

export const mapPipeline = pipeline({
  name: 'contract-map',
  params: z.object({ dir: z.string(), count: z.number().int().min(1).default(5) }),
  body({ dir, count }) {
    const { items } = numbers({}, { params: { dir, count } });
    const squares = square.map('item', { item: items });
    total({ values: squares.value });
  },
});

// --- conditions -------------------------------------------------------------------------------------

const score = step({
  name: 'score',
  outputs: { value: t.number() },
  params: z.object({ dir: z.string(), value: z.number() }),
  run: (_inputs, { value }) => ({ value }),
});
const branch = step({
  name: 'branch',
  inputs: { value: t.number() },
  outputs: { taken: t.string() },
  params: z.object({ label: z.string() }),
  run: (_inputs, { label }) => ({ taken: label }),
});

export const conditionPipeline = pipeline({
  name: 'contract-conditions',
  params: z.object({ dir: z.string(), value: z.number().default(0.3) }),
  body({ dir, value }) {
    const s = score({}, { params: { dir, value } });
    when(
      s.value,
      (v) => v > 0.5,
      () => branch({ value: s.value }, { id: 'high', params: { label: 'high' } }),
    );
    when(
      s.value,
      (v) => v <= 0.5,
      () => branch({ value: s.value }, { id: 'low', params: { label: 'low' } }),
    );
  },
});

// --- failure ----------------------------------------------------------------------------------------

const boom = step({
  name: 'boom',
  outputs: { value: t.number() },
  params: dirParam,
  run: () => {
    throw new Error('contract failure: boom');
  },
});
const after = step({
  name: 'downstream',
  inputs: { value: t.number() },
  outputs: { value: t.number() },
  run: ({ value }) => ({ value }),
});
const sibling = step({
  name: 'sibling',
  outputs: { ok: t.boolean() },
  params: z.object({ dir: z.string(), ms: z.number().int() }),
  async run(_inputs, { ms }, ctx) {
    await sleep(ms, ctx.signal);
    return { ok: true };
  },
});

export const failurePipeline = pipeline({
  name: 'contract-failure',
  params: dirParam,
  body({ dir }) {
    const b = boom({}, { params: { dir } });
    after({ value: b.value });
    // Slower than boom, so it is still running (or not yet started) when boom fails.
    sibling({}, { params: { dir, ms: 1500 } });
  },
});

// --- retry ------------------------------------------------------------------------------------------

const flaky = step({
  name: 'flaky',
  outputs: { attempt: t.number() },
  params: z.object({ dir: z.string(), failures: z.number().int().min(0) }),
  run: (_inputs, { failures }, ctx) => {
    if (ctx.attempt <= failures) throw new Error(`contract flaky: attempt ${ctx.attempt} fails`);
    return { attempt: ctx.attempt };
  },
});

export const retryPipeline = pipeline({
  name: 'contract-retry',
  params: z.object({ dir: z.string(), failures: z.number().int().default(1) }),
  body({ dir, failures }) {
    flaky({}, { params: { dir, failures }, retry: { attempts: 3, delayMs: 10 } });
  },
});

// --- cancel -----------------------------------------------------------------------------------------

const sleepy = step({
  name: 'sleepy',
  outputs: { done: t.boolean() },
  params: z.object({ dir: z.string(), ms: z.number().int() }),
  async run(_inputs, { dir, ms }, ctx) {
    await writeFile(join(dir, 'sleepy-started'), String(process.pid));
    await sleep(ms, ctx.signal);
    await writeFile(join(dir, 'sleepy-finished'), '');
    return { done: true };
  },
});
const wake = step({
  name: 'wake',
  inputs: { done: t.boolean() },
  outputs: { done: t.boolean() },
  run: ({ done }) => ({ done }),
});

export const cancelPipeline = pipeline({
  name: 'contract-cancel',
  params: z.object({ dir: z.string(), ms: z.number().int().default(120_000) }),
  body({ dir, ms }) {
    const s = sleepy({}, { params: { dir, ms } });
    wake({ done: s.done });
  },
});

// --- resume -----------------------------------------------------------------------------------------

const prepare = step({
  name: 'prepare',
  outputs: { value: t.number() },
  params: dirParam,
  async run(_inputs, { dir }) {
    await appendFile(join(dir, 'prepare-executions'), 'x');
    return { value: 20 };
  },
});
const fragile = step({
  name: 'fragile',
  inputs: { value: t.number() },
  outputs: { value: t.number() },
  params: dirParam,
  async run({ value }, { dir }) {
    // Fails until the test "fixes" it by creating the file: a resume then re-runs only this and later.
    if (!(await exists(join(dir, 'fixed')))) throw new Error('contract resume: not fixed yet');
    return { value: value + 1 };
  },
});
const finish = step({
  name: 'finish',
  inputs: { value: t.number() },
  outputs: { value: t.number() },
  run: ({ value }) => ({ value: value * 2 }),
});

export const resumePipeline = pipeline({
  name: 'contract-resume',
  params: dirParam,
  body({ dir }) {
    const p = prepare({}, { params: { dir } });
    const f = fragile({ value: p.value }, { params: { dir } });
    finish({ value: f.value });
  },
});

/** How many times `prepare` ran in `dir` (a resume must not run it again). */
export async function prepareExecutions(dir: string): Promise<number> {
  return (await readFile(join(dir, 'prepare-executions'), 'utf8').catch(() => '')).length;
}

// --- components reachable from steps ------------------------------------------------------------------

const reach = step({
  name: 'reach',
  outputs: { flavor: t.string() },
  params: z.object({ dir: z.string(), type: z.string() }),
  run: (_inputs, { type }, ctx) => {
    const component = ctx.component<{ flavor?: unknown }>(type);
    return { flavor: typeof component.flavor === 'string' ? component.flavor : `(${typeof component})` };
  },
});

export const componentsPipeline = pipeline({
  name: 'contract-components',
  params: z.object({ dir: z.string(), type: z.string() }),
  body({ dir, type }) {
    reach({}, { params: { dir, type } });
  },
});

// --- logs and logged metadata -------------------------------------------------------------------------

const chatty = step({
  name: 'chatty',
  outputs: { lines: t.number() },
  params: dirParam,
  async run(_inputs, { dir }, ctx) {
    await mkdir(dir, { recursive: true });
    ctx.logger.info('contract log: first line');
    ctx.logger.warn('contract log: a warning');
    ctx.logger.info('contract log: last line');
    ctx.log({ accuracy: 0.75, note: 'contract' });
    return { lines: 3 };
  },
});

export const logsPipeline = pipeline({
  name: 'contract-logs',
  params: dirParam,
  body({ dir }) {
    chatty({}, { params: { dir } });
  },
});
