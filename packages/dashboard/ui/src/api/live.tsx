import { useEffect, useRef, useState } from 'react';
import { subscribe } from './api.js';
import type { LiveEvent } from './types.js';

/**
 * Subscribes to the server's live events for as long as the component is mounted (one stream per
 * filter; the latest `onEvent` is called, so handlers see current state). Returns whether the stream
 * is connected, so a page can say "live" or "reconnecting".
 */
export function useLiveEvents(filter: { runId?: string }, onEvent: (e: LiveEvent) => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const runId = filter.runId;
  useEffect(
    () => subscribe(runId === undefined ? {} : { runId }, (e) => handler.current(e), setConnected),
    [runId],
  );
  return connected;
}

export function LiveIndicator({ connected }: { connected: boolean }) {
  return (
    <span className={connected ? 'live live-on' : 'live live-off'} role="status">
      {connected ? '● live' : '○ reconnecting'}
    </span>
  );
}
