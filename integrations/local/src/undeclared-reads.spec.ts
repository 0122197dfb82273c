import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concurrentReads, createTemporaryStack, type TemporaryStack } from '@strata/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undeclaredReads, undeclaredReadsStrict } from './fixtures/pipelines.js';

const warningsOf = async (temp: TemporaryStack, stepRunId: string) =>
  (await temp.stack.database.readLogs({ stepRunId })).filter((l) => l.message.includes('undeclared read'));

/**
 * Undeclared reads on the local orchestrator: in step processes (process isolation; Docker and Temporal
 * run the same step-entry) and in-process, where steps share this process and each read is attributed
 * to the step whose body made it.
 */
describe.each(['in-process', 'process'] as const)('undeclared reads (%s isolation)', (isolation) => {
  let temp: TemporaryStack;
  let params: { declared: string; file: string };
  beforeAll(async () => {
    temp = await createTemporaryStack({ isolation, concurrency: 4 });
    writeFileSync(join(temp.root, 'declared.csv'), 'a\n');
    writeFileSync(join(temp.root, 'notes.txt'), 'b\n');
    params = { declared: join(temp.root, 'declared.csv'), file: join(temp.root, 'notes.txt') };
  });
  afterAll(() => temp.cleanup());

  it('records a warning naming the undeclared file and how to declare it; the declared source is not reported', {
    timeout: 300_000,
  }, async () => {
    const handle = await undeclaredReads.run({ stack: temp.stack, params });
    const run = await handle.wait();
    expect(run.status).toBe('completed');
    expect(await handle.output('reads_undeclared', 'text')).toBe('a\nb\n');
    const id = `${run.id}/reads_undeclared`;
    const warnings = await warningsOf(temp, id);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warn');
    expect(warnings[0]!.message).toContain(`the step read ${params.file}, which is not a declared source`);
    expect(warnings[0]!.message).toContain("source('notes.txt')");
    expect(await temp.stack.database.getMetadata('step_run', id)).toMatchObject({
      'strata.undeclaredReads': [params.file],
    });
  });

  it('strict mode fails the step with undeclared_read', { timeout: 300_000 }, async () => {
    const run = await (await undeclaredReadsStrict.run({ stack: temp.stack, params })).wait();
    expect(run.status).toBe('failed');
    const row = (await temp.stack.database.getStepRun(`${run.id}/reads_undeclared`))!;
    expect(row.status).toBe('failed');
    expect(row.error).toContain(`read a file that is not a declared source: ${params.file}`);
  });
});

describe('undeclared reads of steps running at once in this process', () => {
  let temp: TemporaryStack;
  let file: string;
  beforeAll(async () => {
    temp = await createTemporaryStack({ isolation: 'in-process', concurrency: 4 });
    file = join(temp.root, 'notes.txt');
    writeFileSync(file, 'b\n');
  });
  afterAll(() => temp.cleanup());

  it('only the step that read gets the warning', { timeout: 300_000 }, async () => {
    const run = await (await concurrentReads.run({ stack: temp.stack, params: { file } })).wait();
    expect(run.error).toBeNull();
    expect((await warningsOf(temp, `${run.id}/reader`)).map((w) => w.message)).toEqual([
      expect.stringContaining(`the step read ${file}`),
    ]);
    expect(await warningsOf(temp, `${run.id}/quiet`)).toEqual([]);
    const quietMetadata = (await temp.stack.database.getMetadata('step_run', `${run.id}/quiet`)) ?? {};
    expect(quietMetadata).not.toHaveProperty('strata.undeclaredReads');
  });
});
