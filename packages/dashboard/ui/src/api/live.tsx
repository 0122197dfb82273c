import { useEffect, useRef, useState } from 'react';
import { type LiveState, subscribe } from './api.js';
import type { LiveEvent } from './types.js';

/**
 * Subscribes to the server's live events for as long as the component is mounted (one stream per
 * filter; the latest `onEvent` is called, so handlers see current state). Returns the stream's state
 * so a page can say "live" or "reconnecting", and poll while it is not live.
 */
export function useLiveEvents(filter: { runId?: string }, onEvent: (e: LiveEvent) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const runId = filter.runId;
  useEffect(
    () => subscribe(runId === undefined ? {} : { runId }, (e) => handler.current(e), setState),
    [runId],
  );
  return state;
}

/** Calls `fn` every `ms` while `active` (the fallback when live events are not flowing). */
export function usePolling(active: boolean, fn: () => void, ms: number): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
}

const labels: Record<LiveState, string> = {
  connecting: '○ connecting',
  live: '● live',
  reconnecting: '○ reconnecting',
  unavailable: '○ refreshing every few seconds',
};

export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <span className={state === 'live' ? 'live live-on' : 'live live-off'} role="status">
      {labels[state]}
    </span>
  );
}
