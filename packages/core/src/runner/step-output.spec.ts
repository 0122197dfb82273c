import { describe, expect, it } from 'vitest';
import type { LogLevel } from '../metadata/records.js';
import { captureStepOutput } from './step-output.js';

const sink = () => {
  const lines: [LogLevel, string][] = [];
  return { lines, add: (level: LogLevel, message: string) => void lines.push([level, message]) };
};
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('step output capture', () => {
  it("stores each concurrent body's console and stream output as its own lines, with levels", async () => {
    const capture = captureStepOutput();
    const a = sink();
    const b = sink();
    const sa = capture.begin(a, false);
    const sb = capture.begin(b, false);
    await Promise.all([
      sa.run(async () => {
        console.log('a one %d', 1);
        await tick(5);
        process.stdout.write('a partial ');
        await tick(5);
        process.stdout.write('line\nlast without newline');
        console.error('a failed');
      }),
      sb.run(async () => {
        await tick(2);
        console.warn('b warned');
        console.debug('b\ntwo lines');
        process.stderr.write(Buffer.from('b raw stderr\n'));
      }),
    ]);
    sa.end();
    sb.end();
    expect(a.lines).toEqual([
      ['info', 'a one 1'],
      ['info', 'a partial line'],
      ['error', 'a failed'],
      ['info', 'last without newline'],
    ]);
    expect(b.lines).toEqual([
      ['warn', 'b warned'],
      ['debug', 'b'],
      ['debug', 'two lines'],
      ['warn', 'b raw stderr'],
    ]);
  });

  it('leaves output outside a body and after its end alone', async () => {
    const capture = captureStepOutput();
    const s = sink();
    const session = capture.begin(s, true);
    let later: Promise<void> = Promise.resolve();
    console.log('before any body');
    await session.run(async () => {
      console.log('inside');
      later = tick(20).then(() => console.log('after the end'));
    });
    session.end();
    await later;
    console.log('outside');
    expect(s.lines).toEqual([['info', 'inside']]);
  });
});
