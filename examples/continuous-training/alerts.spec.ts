/**
 * The run-end alerts, through the real webhook alerter to a real HTTP receiver on loopback: a run that
 * fails alerts `run_failed`; a training run whose gate refuses the model (it completes, nothing is
 * promoted) alerts `gate_refused` with the gate's reason; each run is alerted once.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlertEvent, pipeline, type Stack, step, t } from '@strata/core';
import { alertRunEnd } from '@strata/core/plugin';
import { WebhookAlerter } from '@strata/local';
import { createMlStack, type MlStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrain } from './pipeline.js';
import { dayCsv } from './prepare-data.js';

interface Runnable {
  // `never`: any pipeline's run() is assignable, whatever its parameter schema.
  run(options: never): Promise<{ id: string; wait(): Promise<unknown> }>;
}

async function runPipeline(definition: Runnable, options: { stack: Stack; params?: object }) {
  const handle = await definition.run({ stack: options.stack, params: options.params ?? {} } as never);
  await handle.wait().catch(() => undefined);
  return (await options.stack.database.getRun(handle.id))!;
}

describe('run-end alerts to a webhook on loopback', () => {
  let receiver: Server;
  const received: AlertEvent[] = [];
  let ml: MlStack;
  let stack: Stack;
  let dir: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(JSON.parse(body) as AlertEvent);
        res.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const { port } = receiver.address() as AddressInfo;
    ml = await createMlStack();
    const alerter = new WebhookAlerter({
      url: `http://127.0.0.1:${port}/alerts`,
      format: 'json',
      timeoutMs: 5000,
      retries: 1,
      headers: {},
    });
    stack = { ...ml.stack, extras: new Map([...ml.stack.extras, ['alerter', alerter]]) } as Stack;
    dir = mkdtempSync(join(tmpdir(), 'ct-alerts-'));
    writeFileSync(join(dir, 'day-1.csv'), dayCsv(0, 3));
  });
  afterAll(async () => {
    receiver?.close();
    await ml?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a failed run alerts run_failed, once', async () => {
    const boom = step({
      name: 'boom',
      outputs: { x: t.json<number>() },
      run: () => {
        throw new Error('the data is on fire');
      },
    });
    const failing = pipeline({ name: 'failing', body: () => void boom({}) });
    const run = await runPipeline(failing, { stack });
    expect(run.status).toBe('failed');
    const alert = received.find((a) => a.kind === 'run_failed' && a.fields.run === run.id);
    expect(alert?.title).toBe(`run ${run.id} of failing failed`);
    expect(alert?.text).toContain('the data is on fire');
    await alertRunEnd(stack, run.id); // a second waiter: nothing re-sent
    expect(received.filter((a) => a.fields.run === run.id)).toHaveLength(1);
  });

  it('a gate that refuses the model alerts gate_refused with its reason; a blessed one does not', async () => {
    const blessed = await runPipeline(retrain, { stack, params: { dataPath: dir } });
    expect(blessed.status).toBe('completed');
    expect(received.filter((a) => a.fields.run === blessed.id)).toEqual([]);
    // The same data again, but a 0.5 improvement over production is required: refused.
    const refused = await runPipeline(retrain, { stack, params: { dataPath: dir, minImprovement: 0.5 } });
    expect(refused.status).toBe('completed');
    const alert = received.find((a) => a.kind === 'gate_refused' && a.fields.run === refused.id);
    expect(alert).toMatchObject({ severity: 'warning', fields: { pipeline: 'retrain', step: 'gate' } });
    expect(alert!.text).toMatch(/improves by only/);
  });
});
