/**
 * Failed authentications per client address in a sliding window. After `max` failures within
 * `windowMs` the address is refused (429) until the oldest failure leaves the window. The table holds at
 * most `maxAddresses` entries, so a flood of spoofed sources cannot grow it without bound.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly maxAddresses = 10_000,
  ) {}

  #recent(address: string, now: number): number[] {
    const list = (this.#failures.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.#failures.delete(address);
    else this.#failures.set(address, list);
    return list;
  }

  /** Milliseconds until the address may try again; 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const list = this.#recent(address, now);
    return list.length >= this.max ? this.windowMs - (now - list[0]!) : 0;
  }

  fail(address: string, now = Date.now()): void {
    const list = this.#recent(address, now);
    list.push(now);
    this.#failures.delete(address);
    this.#failures.set(address, list.slice(-this.max));
    if (this.#failures.size > this.maxAddresses) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }
}
