import { afterAll, describe, expect, it, vi } from 'vitest';
import { type LiveState, subscribe } from './api.js';

/**
 * The live indicator against a server that goes away and comes back. `fetch` is the only way out of
 * the client, so a stand-in for it plays the server: up (the OpenAPI document, an events stream that
 * opens with `ready`), dropped, then refusing connections, then up again.
 */
let up = true;
let open: ReadableStreamDefaultController<Uint8Array> | undefined;
const lastEventIds: (string | null)[] = [];

vi.stubGlobal('window', { location: { origin: 'http://127.0.0.1:9', href: 'http://127.0.0.1:9/runs' } });
vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
  if (!up) throw new TypeError('fetch failed');
  const path = new URL(input).pathname;
  if (path === '/api/v1/openapi.json') return Response.json({ paths: { '/events': {} } });
  if (path !== '/api/v1/events') return new Response('{}', { status: 404 });
  lastEventIds.push(new Headers(init.headers).get('last-event-id'));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      open = controller;
      controller.enqueue(new TextEncoder().encode('event: ready\nid: c7\ndata: {"cursor":"c7"}\n\n'));
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
});

async function until(what: string, ok: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('subscribe: the live state follows the server', () => {
  const states: LiveState[] = [];
  const stop = subscribe(
    {},
    () => {},
    (s) => states.push(s),
  );
  afterAll(() => stop());

  it('is live once the stream opened, and not live while the server is down', async () => {
    await until('live', () => states.at(-1) === 'live');
    const downAt = states.length;
    up = false;
    open?.error(new TypeError('network error'));
    await until('reconnecting after the drop', () => states.at(-1) === 'reconnecting');
    // A few reconnection attempts against a server that refuses them: never "live" meanwhile.
    await new Promise((r) => setTimeout(r, 3_200));
    expect(states.slice(downAt)).not.toContain('live');
    expect(states.at(-1)).toBe('reconnecting');
  });

  it('is live again when the server is back, resuming after the last event id it had', async () => {
    up = true;
    await until('live again', () => states.at(-1) === 'live');
    expect(lastEventIds[0]).toBeNull();
    expect(lastEventIds.at(-1)).toBe('c7');
  });
});
