/**
 * Serving feeds monitoring: the model server records input sketches and scored feedback per model
 * version and window in the metadata store; live quality and drift are computed from those rows by the
 * same core functions the model-health trigger uses, and a model-health trigger fires from them.
 */
import { readFileSync } from 'node:fs';
import type { AlertEvent, Stack } from '@strata/core';
import type { FiringRecord } from '@strata/core/plugin';
import { liveDrift, liveQuality } from '@strata/core/plugin';
import { type ModelServer, serveModel } from '@strata/ml';
import { Agent, type RunLauncher } from '@strata/project';
import { createMlStack, type MlStack, runPipelineChecked } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vegaDataFile } from './data.js';
import { FEATURES, LABEL, MODEL, penguins } from './pipeline.js';

type Penguin = Record<string, string | number | null>;
const rows = (JSON.parse(readFileSync(vegaDataFile('penguins.json'), 'utf8')) as Penguin[])
  .filter((r) => FEATURES.every((f) => r[f] !== null && r[f] !== undefined) && r[LABEL])
  // Every 5th row: the file is sorted by species, and a sample of one species alone drifts for real.
  .filter((_r, i) => i % 5 === 0);
const features = (r: Penguin) => Object.fromEntries(FEATURES.map((f) => [f, r[f]]));

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('serving feeds monitoring', () => {
  let ml: MlStack;
  let server: ModelServer;
  let stack: Stack;
  const alerts: AlertEvent[] = [];

  beforeAll(async () => {
    ml = await createMlStack();
    await runPipelineChecked(penguins, { stack: ml.stack, params: { hyperParameters: { nEstimators: 10 } } });
    stack = {
      ...ml.stack,
      extras: new Map([
        ...ml.stack.extras,
        ['alerter', { flavor: 'test', send: async (e: AlertEvent) => void alerts.push(e) }],
      ]),
    } as Stack;
    server = await serveModel(stack, {
      model: `${MODEL}@production`,
      options: { pollMs: 0, monitoringWindowMs: 60_000 },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await ml?.cleanup();
  });

  it('records input sketches per version and window; drift is judged against the training statistics', async () => {
    const version = server.servedVersion();
    // 40 rows spread over the whole (species-sorted) file: the first 40 are mostly one species and
    // drift against the training statistics for real, by how many of the others the split kept.
    const calmRows = Array.from({ length: 40 }, (_, i) => rows[Math.floor((i * rows.length) / 40)]!);
    await post(`${server.url}/predict`, { rows: calmRows.map(features) });
    await server.flushMonitoring();
    const calm = await stack.database.servingWindows({ model: MODEL, version, kind: 'inputs' });
    expect(calm).toHaveLength(1);
    expect(calm[0]!.count).toBe(40);
    expect(liveDrift(calm).share).toBeLessThan(0.5);

    const shifted = rows.slice(0, 40).map((r) => ({
      ...features(r),
      'Body Mass (g)': 9000,
      'Flipper Length (mm)': 320,
      Island: 'Atlantis',
    }));
    await post(`${server.url}/predict`, { rows: shifted });
    await post(`${server.url}/predict`, { rows: shifted });
    await server.flushMonitoring();
    const windows = await stack.database.servingWindows({ model: MODEL, version, kind: 'inputs' });
    expect(windows).toHaveLength(1); // one bounded row per window, however many requests
    expect(windows[0]!.count).toBe(120);
    const drift = liveDrift(windows);
    expect(drift.drifted).toEqual(expect.arrayContaining(['Body Mass (g)', 'Flipper Length (mm)', 'Island']));
    expect(drift.share).toBeGreaterThan(0.5);
  });

  it('records scored feedback; the store and the server compute the same live accuracy', async () => {
    const version = server.servedVersion();
    const sample = rows.slice(0, 30);
    const answer = await post(`${server.url}/predict`, { rows: sample.map(features) });
    const ids = answer.ids as string[];
    // Half the labels deliberately wrong: live accuracy falls.
    const feedback = await post(`${server.url}/feedback`, {
      feedback: ids.map((id, i) => ({ id, actual: i % 2 ? 'Gentoo-not' : String(sample[i]![LABEL]) })),
    });
    expect(feedback.accepted).toBe(30);
    await server.flushMonitoring();
    const windows = await stack.database.servingWindows({ model: MODEL, version, kind: 'feedback' });
    const stored = liveQuality(windows, 'classification');
    expect(stored.n).toBe(30);
    expect(stored.accuracy).toBeCloseTo((feedback.live as { value: number }).value, 10);
    expect(stored.accuracy!).toBeLessThan(0.6);
  });

  it('a model-health trigger fires from the recorded serving statistics', async () => {
    const now = Date.now();
    await stack.database.createTrigger({
      name: 'penguins-degraded',
      kind: 'model_health',
      target: { module: 'pipeline.ts', pipeline: 'penguins', params: {} },
      condition: {
        kind: 'model_health',
        model: `${MODEL}@production`,
        metric: 'accuracy',
        threshold: 0.8,
        windowMs: 3_600_000,
        minCount: 20,
      },
      overlap: 'skip',
      paused: false,
      firedBy: 'agent',
      cursor: null,
      createdAt: now,
      updatedAt: now,
    });
    const launched: FiringRecord[] = [];
    const launcher: RunLauncher = { launch: async (_t, f) => void launched.push(f) };
    const agent = new Agent({ stack, launcher, log: () => {} });
    await agent.tick();
    await agent.tick();
    await agent.stop();
    expect(launched).toHaveLength(1);
    expect(launched[0]!.reason).toMatch(/accuracy 0\.\d+ below 0\.8 over 30 observations/);
    expect(alerts.map((a) => a.kind)).toContain('trigger_fired');
  });
});
