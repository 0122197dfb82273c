import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../artifact-type/artifact-type.js';
import { pipeline } from '../pipeline/pipeline.js';
import { step } from '../step/step.js';
import { createMemoryStack, type MemoryStack } from '../testing/index.js';
import { stepRunId } from './ids.js';
import { SEQ_BLOCK } from './step-logger.js';
import { recordRun } from './submit.js';

let temp: MemoryStack;
beforeAll(async () => {
  temp = await createMemoryStack();
});
afterAll(() => temp.cleanup());

let calls = 0;
const flaky = step({
  name: 'flaky',
  outputs: { n: t.number() },
  run: (_inputs, _params, ctx) => {
    calls++;
    ctx.logger.info(`call ${calls} line 1`);
    ctx.logger.info(`call ${calls} line 2`);
    if (calls === 1) throw new Error('the worker was lost');
    return { n: calls };
  },
});
const flow = pipeline({ name: 'executions-flow', body: () => void flaky({}) });

describe('a step executed again by its orchestrator (a Temporal activity retry)', () => {
  it('keeps the log lines of every execution: each logs in its own block of seqs', async () => {
    const { stack } = temp;
    const compiled = flow.compile({}, { projectRoot: temp.root });
    const run = await recordRun(compiled, { stack });
    const runner = stack.stepRunner();
    const task = { runId: run.id, snapshot: compiled.snapshot, compiled, nodeId: 'flaky', noCache: true };
    expect((await runner.run({ ...task, execution: 1 })).status).toBe('failed');
    expect((await runner.run({ ...task, execution: 2 })).status).toBe('completed');
    const lines = await stack.database.readLogs({ stepRunId: stepRunId(run.id, 'flaky') });
    const messages = lines.map((l) => l.message);
    expect(messages).toEqual(
      expect.arrayContaining(['call 1 line 1', 'call 1 line 2', 'call 2 line 1', 'call 2 line 2']),
    );
    expect(messages.some((m) => m.startsWith('execution 2 of this step'))).toBe(true);
    const second = lines.filter((l) => l.message.startsWith('call 2'));
    expect(second.every((l) => l.seq > SEQ_BLOCK)).toBe(true);
    expect(new Set(lines.map((l) => l.seq)).size).toBe(lines.length);
  });
});
