import { z } from '@hono/zod-openapi';
import type { ChangeRecord } from '@strata/metadata';
import { streamSSE } from 'hono/streaming';
import type { App } from '../http/app-type.js';
import { errors } from '../http/route-kit.js';
import { StrataEvent, type StrataEventType } from '../schemas/events.js';

const kinds = ['run', 'step', 'log', 'model'] as const;

const EventsQuery = z.object({
  types: z
    .string()
    .max(100)
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined;
      const out = text.split(',');
      for (const t of out) {
        if (!(kinds as readonly string[]).includes(t)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown event type "${t.slice(0, 40)}"; one of ${kinds.join(', ')}`,
          });
          return z.NEVER;
        }
      }
      return new Set(out as StrataEventType[]);
    })
    .meta({ description: 'comma-separated: run, step, log, model (default all)' }),
  run: z.string().min(1).max(512).optional().meta({ description: 'only events of this run' }),
});

const HEARTBEAT_MS = 15_000;
const MAX_BUFFER = 5_000;

function toEvent(change: ChangeRecord) {
  return { id: change.cursor, type: change.kind, at: change.at, data: change.data };
}

export function registerEventRoutes(app: App): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/events',
    tags: ['events'],
    summary: 'Server-Sent Events: run, step, log and model changes; resume with Last-Event-ID',
    description:
      'Each `data:` line is one StrataEvent (JSON) and its `id:` is the resume cursor. The stream opens with ' +
      '`event: ready` whose id is the position it starts from. A client reconnecting with `Last-Event-ID` ' +
      'receives every event after that id, in order, none twice.',
    request: {
      query: EventsQuery,
      headers: z.object({ 'last-event-id': z.string().max(64).optional() }),
    },
    responses: {
      200: { description: 'the event stream', content: { 'text/event-stream': { schema: StrataEvent } } },
      ...errors,
    },
  });

  app.get('/events', async (c) => {
    const parsed = EventsQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const { validationResponse } = await import('../http/errors.js');
      return validationResponse(c, 'query', parsed.error.issues, c.req.query());
    }
    const { types, run } = parsed.data;
    const deps = c.var.deps;
    const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const wanted = (change: ChangeRecord) =>
      (types === undefined || types.has(change.kind)) && (run === undefined || change.runId === run);

    // Subscribe before the stream starts so a bad Last-Event-ID is a 400, not a broken stream.
    const queue: ChangeRecord[] = [];
    let wake: (() => void) | undefined;
    let overflow = false;
    const push = (change: ChangeRecord) => {
      if (!wanted(change)) return;
      if (queue.length >= MAX_BUFFER) overflow = true;
      else queue.push(change);
      wake?.();
    };
    const subscription = await deps.feed.subscribe(lastEventId, push, () => {
      overflow = true;
    });
    c.header('x-accel-buffering', 'no'); // nginx: pass events through at once
    return streamSSE(
      c,
      async (stream) => {
        let open = true;
        stream.onAbort(() => {
          open = false;
          wake?.();
        });
        await stream.writeSSE({
          event: 'ready',
          id: subscription.start,
          data: JSON.stringify({ cursor: subscription.start }),
          retry: 1000,
        });
        let lastBeat = Date.now();
        try {
          while (open && !overflow) {
            const next = queue.shift();
            if (next) {
              await stream.writeSSE({ id: next.cursor, data: JSON.stringify(toEvent(next)) });
              continue;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, Math.max(0, HEARTBEAT_MS - (Date.now() - lastBeat))).unref?.();
            });
            wake = undefined;
            if (Date.now() - lastBeat >= HEARTBEAT_MS) {
              await stream.write(': heartbeat\n\n');
              lastBeat = Date.now();
            }
          }
        } finally {
          subscription.close();
        }
      },
      async (error) => {
        subscription.close();
        deps.log.error('event stream failed', { error: String(error) });
      },
    );
  });
}
