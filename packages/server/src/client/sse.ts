import type { StrataEvent, StrataEventType } from '../schemas/events.js';

export interface EventStreamOptions {
  /** Resume after this event id (what the last received event carried). */
  readonly lastEventId?: string;
  /** Only these event types (default: all). */
  readonly types?: readonly StrataEventType[];
  /** Only events of this run. */
  readonly runId?: string;
  readonly signal?: AbortSignal;
}

/**
 * Parses a text/event-stream body (fetch-based, so it can send the bearer token that EventSource cannot).
 * Yields `message` events' JSON; comments (heartbeats) are skipped.
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StrataEvent> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
        if (data.length > 0) yield JSON.parse(data.join('\n')) as StrataEvent;
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.releaseLock();
  }
}
