import type { Stack } from '@strata/core';

/**
 * Stacks the server opened (to read an artifact store, cancel through an orchestrator), kept open and
 * shared by requests until the server closes. A stack that failed to open is retried next time.
 */
export class StackCache {
  readonly #stacks = new Map<string, Promise<Stack>>();

  constructor(private readonly open: (name: string) => Promise<Stack>) {}

  get(name: string): Promise<Stack> {
    let stack = this.#stacks.get(name);
    if (!stack) {
      stack = this.open(name);
      stack.catch(() => this.#stacks.delete(name));
      this.#stacks.set(name, stack);
    }
    return stack;
  }

  async close(): Promise<void> {
    const stacks = [...this.#stacks.values()];
    this.#stacks.clear();
    for (const s of stacks) {
      try {
        await (await s).close();
      } catch {
        // it never opened
      }
    }
  }
}
