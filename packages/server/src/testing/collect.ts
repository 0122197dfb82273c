import type { StrataClient, StrataEvent } from '../client/index.js';

/** Reads events into an array in the background until stop(); `ready` resolves with the start id. */
export function collectEvents(
  api: StrataClient,
  options: { lastEventId?: string; types?: StrataEvent['type'][] } = {},
) {
  const events: StrataEvent[] = [];
  const controller = new AbortController();
  let resolveReady: (id: string) => void = () => {};
  const ready = new Promise<string>((r) => {
    resolveReady = r;
  });
  const done = (async () => {
    for await (const e of api.events({
      ...options,
      signal: controller.signal,
      reconnect: false,
      onReady: (id) => resolveReady(id),
    })) {
      events.push(e);
    }
  })().catch(() => {});
  return {
    events,
    ready,
    /** Waits until `predicate` holds for the collected events (polling), at most `ms`. */
    async until(predicate: (events: StrataEvent[]) => boolean, ms = 30_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!predicate(events)) {
        if (Date.now() > deadline)
          throw new Error(`events never matched; got ${JSON.stringify(events).slice(0, 2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(): Promise<void> {
      controller.abort();
      await done;
    },
  };
}
