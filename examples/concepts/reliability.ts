// docs/concepts.md#caching and #retries-timeouts-and-hooks.
import { pipeline, step, t } from '@strata/core';

let failuresLeft = 2;
export const events: string[] = [];

export const fetchPrices = step({
  name: 'fetch_prices',
  outputs: { prices: t.json<number[]>() },
  // 3 attempts in all, waiting 10 ms then 20 ms.
  retry: { attempts: 3, delayMs: 10, backoff: 2 },
  timeoutMs: 5_000,
  // A result is reused for an hour at most.
  cache: { ttlSeconds: 3600 },
  run: (_inputs, _params, ctx) => {
    if (failuresLeft-- > 0) throw new Error(`upstream busy (attempt ${ctx.attempt})`);
    return { prices: [3, 1, 2] };
  },
  onSuccess: (ctx) => void events.push(`${ctx.stepName} succeeded on attempt ${ctx.attempt}`),
  onFailure: (error, ctx) => void events.push(`${ctx.stepName} failed: ${String(error)}`),
});

export const sortPrices = step({
  name: 'sort_prices',
  inputs: { prices: t.json<number[]>() },
  outputs: { sorted: t.json<number[]>() },
  // Bump `version` to invalidate cached results on purpose; keep it to survive refactors.
  version: '1',
  run: ({ prices }) => ({ sorted: [...prices].sort((a, b) => a - b) }),
});

export const stamp = step({
  name: 'stamp',
  inputs: { sorted: t.json<number[]>() },
  outputs: { at: t.number() },
  cache: false, // never reused: always runs
  run: () => ({ at: Date.now() }),
});

export const prices = pipeline({
  name: 'prices',
  body: () => {
    const { prices } = fetchPrices();
    const { sorted } = sortPrices({ prices });
    stamp({ sorted });
  },
});
