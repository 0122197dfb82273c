/**
 * Polls `probe` until it returns a value other than undefined, and returns it: a test waits for a
 * state, never for a fixed time. Past `timeoutMs` it throws, naming what it waited for and, from
 * `detail`, what would explain the wait (a worker's last output).
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
  detail: () => string = () => '',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
