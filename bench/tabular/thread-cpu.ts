/**
 * CPU seconds per thread of this process while a fit runs, read from /proc/self/task/<tid>/stat
 * every 50 ms (Linux). Worker threads end with their fit, so each thread's last reading stands for
 * it (at most one interval's CPU is missed per thread). On a loaded machine, wall time says little
 * about a speed-up, but the busiest thread's CPU bounds the fit's wall time from below on an idle
 * one: one thread's CPU divided by the busiest thread's of a 2-thread fit is the speed-up that
 * the split of the work allows.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return ticks;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12])); // utime + stime
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ticks;
}

/** Runs `work`, returning its result and the CPU seconds each thread spent during it, busiest first. */
export async function withThreadCpu<T>(work: () => Promise<T>): Promise<{ result: T; perThread: number[] }> {
  const before = threadTicks();
  const last = new Map(before);
  const sample = () => {
    for (const [tid, ticks] of threadTicks()) last.set(tid, ticks);
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    const perThread = [...last]
      .map(([tid, ticks]) => (ticks - (before.get(tid) ?? 0)) / TICKS_PER_SECOND)
      .filter((seconds) => seconds > 0)
      .sort((a, b) => b - a);
    return { result, perThread };
  } finally {
    clearInterval(timer);
  }
}
