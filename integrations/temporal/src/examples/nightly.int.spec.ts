import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporalProject, type TemporalProject } from '../testing/temporal-project.js';
import { runNightlyOnTemporal } from './nightly.js';

let project: TemporalProject;
beforeAll(async () => {
  project = await createTemporalProject();
});
afterAll(async () => {
  if (project) await rm(project.root, { recursive: true, force: true });
});

describe('docs/temporal.md example', () => {
  it('runs the nightly pipeline on a worker, reports progress and schedules it', async () => {
    const result = await runNightlyOnTemporal(project.root);
    expect(result.status).toBe('completed');
    // sum over i < 200 of (i mod 7)^2
    expect(result.total).toBe(Array.from({ length: 200 }, (_, i) => (i % 7) ** 2).reduce((a, b) => a + b, 0));
    expect(result.progress?.steps.completed).toBe(3);
    expect(result.progress?.instances.score).toEqual({ total: 200, done: 200, failed: 0 });
    expect(result.scheduled).toContain('strata-nightly-temporal 0 3 * * *');
  }, 180_000);
});
