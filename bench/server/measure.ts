import { readFileSync } from 'node:fs';
import { loadTest, percentile } from '../../packages/server/src/testing/load.js';

const round = (n: number, d = 2) => Number(n.toFixed(d));

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}

export function summarize(ms: readonly number[]): Latency {
  return { p50: round(percentile(ms, 50), 3), p99: round(percentile(ms, 99), 3), n: ms.length };
}

/** One client, requests back to back on a kept-alive connection, after `warmup` unmeasured ones. */
export async function sequential(url: string, n: number, warmup = 20): Promise<Latency> {
  const ms: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    const t = performance.now();
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    if (!res.ok)
      throw new Error(`${url} answered ${res.status}: ${Buffer.from(body).toString().slice(0, 300)}`);
    if (i >= warmup) ms.push(performance.now() - t);
  }
  return summarize(ms);
}

/** The same for an in-process call (the query the route makes, without HTTP). */
export async function inProcess(n: number, call: () => Promise<unknown>, warmup = 20): Promise<Latency> {
  const ms: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    const t = performance.now();
    await call();
    if (i >= warmup) ms.push(performance.now() - t);
  }
  return summarize(ms);
}

/** Closed loop: `clients` concurrent clients until `requests` were answered; requests per second. */
export async function throughput(base: string, paths: readonly string[], clients: number, requests: number) {
  const r = await loadTest({ url: base, paths, clients, requests, maxMs: 120_000 });
  const failures = Object.fromEntries(r.failures);
  return {
    clients,
    requests: r.latencies.length,
    requestsPerSecond: round(r.latencies.length / (r.elapsedMs / 1000), 0),
    ...summarize(r.latencies),
    failures,
  };
}

/** Resident set size and its high-water mark of a process (Linux /proc), in MB. */
export function rss(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: round(kb('VmRSS') / 1024, 1), peakRssMb: round(kb('VmHWM') / 1024, 1) };
}

/** CPU seconds (user + system) a process used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
