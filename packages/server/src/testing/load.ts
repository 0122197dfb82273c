/**
 * A bounded load: `clients` concurrent loopback clients each send requests back to back until
 * `requests` have been sent in total or `maxMs` passed, whichever comes first. It always stops by
 * itself. Returns the latencies (ms) and the non-2xx statuses seen.
 */
export async function loadTest(options: {
  url: string;
  paths: readonly string[];
  clients: number;
  requests: number;
  maxMs: number;
  headers?: Record<string, string>;
}): Promise<{ latencies: number[]; failures: Map<number, number>; elapsedMs: number }> {
  const latencies: number[] = [];
  const failures = new Map<number, number>();
  const started = performance.now();
  let issued = 0;
  const client = async (n: number) => {
    while (issued < options.requests && performance.now() - started < options.maxMs) {
      const path = options.paths[(issued + n) % options.paths.length]!;
      issued++;
      const t0 = performance.now();
      try {
        const res = await fetch(options.url + path, {
          headers: options.headers ?? {},
          signal: AbortSignal.timeout(90_000),
        });
        await res.arrayBuffer();
        if (!res.ok) failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
      } catch {
        failures.set(0, (failures.get(0) ?? 0) + 1);
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, n) => client(n)));
  return { latencies, failures, elapsedMs: performance.now() - started };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
