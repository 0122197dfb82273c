/**
 * Polls `probe` until it returns a value other than undefined. A probe that throws (a server or
 * container not up yet) is tried again; past `ms` the last error is named with what never happened.
 */
export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} within ${ms / 1000} s (last error: ${String(last)})`);
}
