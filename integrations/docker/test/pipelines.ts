/**
 * Pipelines the docker integration tests run in containers. They live outside src/ (not shipped) but
 * inside the workspace, so step containers import them at the same path.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pipeline, step, t } from '@strata/core';

const fails = step({
  name: 'fails',
  outputs: { value: t.number() },
  run: (_inputs, _params, ctx) => {
    ctx.logger.info('about to fail');
    console.log('stdout line before the failure');
    throw new Error('deliberate failure in a container');
  },
});

export const failing = pipeline({ name: 'docker_failing', body: () => void fails() });

const hog = step({
  name: 'hog',
  outputs: { value: t.number() },
  settings: { docker: { memory: '96m' } },
  run: () => {
    const chunks: Buffer[] = [];
    // Touch every page so the memory is really resident; the cgroup limit kills the container.
    for (let i = 0; i < 64; i++) chunks.push(Buffer.alloc(32 * 1024 * 1024, 1));
    return { value: chunks.length };
  },
});

export const oom = pipeline({ name: 'docker_oom', body: () => void hog() });

const spin = step({
  name: 'spin',
  outputs: { value: t.number() },
  timeoutMs: 1000,
  run: () => {
    // Blocks the event loop: the in-container timer can never fire, only the orchestrator can stop it.
    for (;;) {
      /* busy */
    }
  },
});

export const timeout = pipeline({ name: 'docker_timeout', body: () => void spin() });

const wait = step({
  name: 'wait',
  outputs: { value: t.number() },
  run: async (_inputs, _params, ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 120_000));
    return { value: ctx.attempt };
  },
});

const after = step({
  name: 'after',
  inputs: { value: t.number() },
  outputs: { value: t.number() },
  run: ({ value }) => ({ value }),
});

export const slow = pipeline({
  name: 'docker_slow',
  body: () => {
    const { value } = wait();
    after({ value });
  },
});

/** Reads a file next to this module that it does not declare: a warning recorded by the step container. */
const readsUndeclared = step({
  name: 'reads_undeclared',
  outputs: { text: t.string() },
  cache: false,
  run: () => ({ text: readFileSync(fileURLToPath(new URL('./undeclared.txt', import.meta.url)), 'utf8') }),
});

export const undeclared = pipeline({ name: 'docker_undeclared', body: () => void readsUndeclared() });

const produce = step({
  name: 'produce_rows',
  outputs: { rows: t.json<number[]>() },
  run: () => ({ rows: [1, 2, 3] }),
});
const total = step({
  name: 'total_rows',
  inputs: { rows: t.json<number[]>() },
  outputs: { total: t.number() },
  run: ({ rows }) => ({ total: rows.reduce((a, b) => a + b, 0) }),
});
const square = step({
  name: 'square_row',
  inputs: { n: t.number() },
  outputs: { sq: t.number() },
  run: ({ n }) => ({ sq: n * n }),
});
/** Two cacheable steps and a mapped one (3 instances): a second run is fully cached. */
export const cacheable = pipeline({
  name: 'docker_cacheable',
  body: () => {
    const { rows } = produce();
    total({ rows });
    square.map('n', { n: rows });
  },
});
