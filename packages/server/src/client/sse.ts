import type { StrataEventType } from '../schemas/events.js';

export interface EventStreamOptions {
  /** Resume after this event id (what the last received event carried). */
  readonly lastEventId?: string;
  /** Only these event types (default: all). */
  readonly types?: readonly StrataEventType[];
  /** Only events of this run. */
  readonly runId?: string;
  readonly signal?: AbortSignal;
  /** Reconnect with the last event id when the stream drops (default true); stop with `signal`. */
  readonly reconnect?: boolean;
}

export interface SseMessage {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * Parses a text/event-stream body (fetch-based, so it can send the bearer token that EventSource
 * cannot). Comments (heartbeats) are skipped.
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data: string[] = [];
        let event = 'message';
        let id: string | undefined;
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon === 0) continue;
          const field = colon < 0 ? line : line.slice(0, colon);
          const raw = colon < 0 ? '' : line.slice(colon + 1);
          const text = raw.startsWith(' ') ? raw.slice(1) : raw;
          if (field === 'data') data.push(text);
          else if (field === 'event') event = text;
          else if (field === 'id') id = text;
        }
        if (data.length > 0 || id !== undefined) yield { event, id, data: data.join('\n') };
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.releaseLock();
  }
}
