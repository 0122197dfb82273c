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

  it('settleNow gives nothing to wait for before the mark is written, and the write once it is', async () => {
    vi.useFakeTimers();
    const write = vi.fn(async () => {});
    const early = new RunningMark(write, 100);
    expect(early.settleNow()).toBeUndefined();
    vi.advanceTimersByTime(1000);
    expect(write).not.toHaveBeenCalled();
    const late = new RunningMark(write, 100);
    vi.advanceTimersByTime(100);
    expect(write).toHaveBeenCalledTimes(1);
    const writing = late.settleNow();
    expect(writing).toBeInstanceOf(Promise);
    await writing;
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

describe('RunningMark queue (one timer for the marks of a delay)', () => {
  it('writes each mark still going once its own delay is over, and none that settled', async () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const mark = (name: string) =>
      new RunningMark(async () => {
        written.push(name);
      }, 100);
    const a = mark('a');
    vi.advanceTimersByTime(40);
    const b = mark('b');
    const c = mark('c');
    await b.settle();
    vi.advanceTimersByTime(60);
    expect(written).toEqual(['a']);
    vi.advanceTimersByTime(39);
    expect(written).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(written).toEqual(['a', 'c']);
    await Promise.all([a.settle(), c.settle()]);
    // The queue's timer outlives its marks; a mark added later still fires at its own time.
    const d = mark('d');
    vi.advanceTimersByTime(99);
    expect(written).toEqual(['a', 'c']);
    vi.advanceTimersByTime(1);
    expect(written).toEqual(['a', 'c', 'd']);
    await d.settle();
  });
});
