import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AlertEvent, sendAlert } from '@strata/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkWebhookUrl, LogAlerter, slackMessage, WebhookAlerter } from './alerters.js';
import { webhookAlerterFlavor } from './flavor.js';

/** A real HTTP receiver on loopback that records what it got and answers with the queued statuses. */
async function receiver() {
  const got: { path: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { got, statuses, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const event: AlertEvent = {
  kind: 'model_rolled_back',
  severity: 'warning',
  title: 'penguins@production rolled back to v3',
  text: 'live accuracy of v4 is 0.41 over 50 labelled predictions',
  fields: { model: 'penguins', version: 3, from: 4 },
  at: 1_700_000_000_000,
};

describe('alerters', () => {
  let r: Awaited<ReturnType<typeof receiver>>;
  beforeEach(async () => {
    r = await receiver();
  });
  afterEach(async () => {
    await r.close();
  });

  it('webhook json: POSTs the event with extra headers', async () => {
    const alerter = new WebhookAlerter({
      url: `${r.url}/hook/T0K3N`,
      format: 'json',
      timeoutMs: 2000,
      retries: 0,
      headers: { 'x-team': 'ml' },
    });
    await alerter.send(event);
    expect(r.got).toHaveLength(1);
    expect(r.got[0]!.path).toBe('/hook/T0K3N');
    expect(r.got[0]!.headers['x-team']).toBe('ml');
    expect(r.got[0]!.body).toEqual(event);
  });

  it('webhook slack: a Slack incoming-webhook message with text and blocks', async () => {
    const alerter = new WebhookAlerter({
      url: r.url,
      format: 'slack',
      timeoutMs: 2000,
      retries: 0,
      headers: {},
    });
    await alerter.send(event);
    const body = r.got[0]!.body as { text: string; blocks: { type: string }[] };
    expect(body).toEqual(slackMessage(event));
    expect(body.text).toBe(':warning: penguins@production rolled back to v3');
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(JSON.stringify(body)).toContain('*version*: 3');
  });

  it('retries a 5xx, gives up on a 4xx without showing the URL path (it may hold a token)', async () => {
    r.statuses.push(503);
    const alerter = new WebhookAlerter({
      url: `${r.url}/T0K3N`,
      format: 'json',
      timeoutMs: 2000,
      retries: 2,
      headers: {},
    });
    await alerter.send(event);
    expect(r.got).toHaveLength(2);
    r.statuses.push(403, 403, 403);
    const error = await alerter.send(event).catch((e: Error) => e);
    expect((error as Error).message).toBe(`webhook ${r.url} refused the alert: HTTP 403`);
    expect((error as Error).message).not.toContain('T0K3N');
    expect(r.got).toHaveLength(3);
  });

  it('sendAlert goes through the stack’s alerter and never throws for a delivery failure', async () => {
    const factory = await webhookAlerterFlavor.load();
    const config = webhookAlerterFlavor.config.parse({ url: `${r.url}/x`, retries: 0 });
    const alerter = await factory(config, {} as never);
    const stack = { extras: new Map<string, unknown>([['alerter', alerter]]) };
    const { at: _at, ...rest } = event;
    expect(await sendAlert(stack, rest)).toBe(true);
    expect((r.got[0]!.body as AlertEvent).at).toBeGreaterThan(event.at);
    r.statuses.push(500);
    expect(await sendAlert(stack, rest)).toBe(false);
    expect(await sendAlert({ extras: new Map() }, rest)).toBe(false);
  });

  it('refuses a URL that is not http(s) without printing it', () => {
    expect(() => checkWebhookUrl('ftp://secret-token@x')).toThrow(
      'the webhook alerter url is not an http(s) URL',
    );
  });

  it('log: one JSON line per event', async () => {
    const lines: string[] = [];
    await new LogAlerter((l) => void lines.push(l)).send(event);
    expect(JSON.parse(lines[0]!)).toMatchObject({ alert: 'model_rolled_back', title: event.title });
  });
});
