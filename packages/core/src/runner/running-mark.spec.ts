import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunningMark } from './running-mark.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('RunningMark', () => {
  it('writes nothing for a step that settles before the delay', async () => {
    vi.useFakeTimers();
    const write = vi.fn(async () => {});
    const mark = new RunningMark(write, 100);
    vi.advanceTimersByTime(99);
    await mark.settle();
    vi.advanceTimersByTime(1000);
    expect(write).not.toHaveBeenCalled();
  });

  it('marks a step still going after the delay, and settle waits for that write to finish', async () => {
    vi.useFakeTimers();
    let finish!: () => void;
    const order: string[] = [];
    const write = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            order.push('running written');
            resolve();
          };
        }),
    );
    const mark = new RunningMark(write, 100);
    vi.advanceTimersByTime(100);
    expect(write).toHaveBeenCalledTimes(1);
    const settled = mark.settle().then(() => order.push('settled'));
    await Promise.resolve();
    expect(order).toEqual([]);
    finish();
    await settled;
    expect(order).toEqual(['running written', 'settled']);
  });

  it('writes at once with no delay, and a failed mark does not fail the step', async () => {
    const write = vi.fn(async () => {
      throw new Error('database is gone');
    });
    const mark = new RunningMark(write, 0);
    expect(write).toHaveBeenCalledTimes(1);
    await expect(mark.settle()).resolves.toBeUndefined();
  });
});
