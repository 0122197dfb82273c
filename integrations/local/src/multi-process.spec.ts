import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inlineBytes, isInline } from '@strata/core/plugin';
import { createTemporaryStack, scriptCommand, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let temp: TemporaryStack;
beforeAll(async () => {
  temp = await createTemporaryStack();
});
afterAll(() => temp.cleanup());

function runScript(seed: number): Promise<{ code: number | null; out: string; err: string }> {
  const script = fileURLToPath(new URL('./fixtures/pipelines.ts', import.meta.url));
  const [command, ...args] = scriptCommand(script, [temp.root, String(seed)]);
  return new Promise((resolve) => {
    const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('several processes on one SQLite store', () => {
  it('runs 4 pipelines at once and leaves every row consistent', async () => {
    // Seeds 1 and 2 twice: processes race to write identical content and cache entries.
    const results = await Promise.all([1, 2, 1, 2].map(runScript));
    for (const r of results) expect(r.code, r.err).toBe(0);
    const db = temp.stack.database;
    const runs = await db.listRuns({ pipelineName: 'busy' });
    expect(runs).toHaveLength(4);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(new Set(results.map((r) => r.out.split(' ')[0]))).toEqual(new Set(runs.map((r) => r.id)));
    for (const run of runs) {
      const steps = await db.listStepRuns(run.id);
      // 3 nodes + 12 map instances, every one finished successfully, none left pending or running.
      expect(steps).toHaveLength(15);
      for (const s of steps) expect(['completed', 'cached']).toContain(s.status);
      for (const s of steps) {
        for (const event of await db.stepRunEvents(s.id)) {
          const artifact = await db.getArtifact(event.artifactId);
          expect(artifact?.sha256).toBe(event.artifact.sha256);
          // Small values are kept in their row (and verified when read back); the rest are in the store.
          if (isInline(artifact!)) expect(inlineBytes(artifact!).length).toBe(artifact!.size);
          else expect(await temp.stack.artifactStore.exists(artifact!.storeKey)).toBe(true);
        }
      }
      const gather = steps.find((s) => s.nodeId === 'gather')!;
      const count = (await db.stepRunEvents(gather.id)).find((e) => e.type === 'output')!;
      expect(count.artifact.summary).toMatchObject({ preview: '12' });
      const instance = steps.find((s) => s.nodeId === 'work' && s.mapIndex === 5)!;
      if (instance.status === 'completed') {
        expect((await db.readLogs({ stepRunId: instance.id })).map((l) => l.message)).toEqual([
          expect.stringMatching(/^item \d+$/),
        ]);
      }
    }
  });
});
