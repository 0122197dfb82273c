import type { FiringRecord, TriggerRecord } from '@strata/core/plugin';
import { describe, expect, it } from 'vitest';
import { childProcessLauncher, exitDetail } from './launcher.js';

describe('childProcessLauncher', () => {
  it("reports a failed run's error and its fix, not only the last line of stderr", async () => {
    // Stands in for `strata run` on a pipeline file deleted after the trigger was created.
    const script =
      "process.stderr.write('loading\\nerror: run file train.ts does not exist\\n  fix: check the path\\n'); process.exit(2)";
    const exits: { code: number | null; detail: string }[] = [];
    const launcher = childProcessLauncher([process.execPath, '-e', script], (_firing, code, detail) =>
      exits.push({ code, detail }),
    );
    const trigger = {
      name: 'nd',
      kind: 'new_data',
      target: { module: 'train.ts', pipeline: 'train', params: {} },
      condition: { kind: 'run_completion', pipeline: 'up', statuses: ['completed'] },
    } as unknown as TriggerRecord;
    const firing = {
      id: 'f1',
      trigger: 'nd',
      runId: 'r-1',
      reason: 'test',
      evidence: {},
    } as unknown as FiringRecord;
    await launcher.launch(trigger, firing, process.cwd());
    await [...launcher.children][0]!.exited;
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([
      { code: 2, detail: 'error: run file train.ts does not exist fix: check the path' },
    ]);
  });
});

describe('exitDetail', () => {
  it('keeps the last error with what follows it, else the last line', () => {
    expect(exitDetail('error: first\nerror: second\n  fix: do this\n\n')).toBe('error: second fix: do this');
    expect(exitDetail('Segmentation fault\n')).toBe('Segmentation fault');
    expect(exitDetail('')).toBe('');
  });
});
