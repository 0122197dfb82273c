import { type AlertEvent, type Alerter, StrataError } from '@strata/core';

/** The `log` alerter: one JSON line per event on stderr (or appended to a file), for log shippers. */
export class LogAlerter implements Alerter {
  readonly flavor = 'log';
  constructor(private readonly write: (line: string) => void | Promise<void>) {}

  async send(event: AlertEvent): Promise<void> {
    await this.write(`${JSON.stringify({ alert: event.kind, ...event })}\n`);
  }
}

export interface WebhookAlerterConfig {
  readonly url: string;
  readonly format: 'json' | 'slack';
  readonly timeoutMs: number;
  readonly retries: number;
  readonly headers: Readonly<Record<string, string>>;
}

const ICON = { info: ':white_check_mark:', warning: ':warning:', error: ':rotating_light:' } as const;

/** Slack's incoming-webhook message (also accepted by Mattermost, Rocket.Chat and Discord's /slack). */
export function slackMessage(event: AlertEvent): Record<string, unknown> {
  const facts = Object.entries(event.fields)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `*${k}*: ${v}`)
    .join('  ');
  return {
    text: `${ICON[event.severity]} ${event.title}`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${ICON[event.severity]} *${event.title}*\n${event.text}` },
      },
      ...(facts ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: facts }] }] : []),
    ],
  };
}

/**
 * The `webhook` alerter: POSTs each event as JSON (`format: json`: the event itself; `slack`: a Slack
 * incoming-webhook message). The URL usually carries a token, so it comes from a secret reference and
 * never appears in errors (only its origin does).
 */
export class WebhookAlerter implements Alerter {
  readonly flavor = 'webhook';
  constructor(private readonly config: WebhookAlerterConfig) {}

  async send(event: AlertEvent): Promise<void> {
    const body = JSON.stringify(this.config.format === 'slack' ? slackMessage(event) : event);
    let last = '';
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200 * 2 ** (attempt - 1)));
      try {
        const res = await fetch(this.config.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.config.headers },
          body,
          signal: AbortSignal.timeout(this.config.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        last = `HTTP ${res.status}`;
        if (res.status < 500 && res.status !== 429) break;
      } catch (error) {
        last = (error as Error).message;
      }
    }
    const origin = new URL(this.config.url).origin;
    throw new StrataError(`webhook ${origin} refused the alert: ${last}`, {
      code: 'alert_failed',
      field: 'url',
      value: origin,
      fix: 'check that the receiver accepts POSTs from here, or change the alerter: strata alerter update NAME --url ...',
    });
  }
}

/** The URL after secret resolution; an error never shows it (it may carry a token). */
export function checkWebhookUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new StrataError('the webhook alerter url is not an http(s) URL', {
      code: 'invalid_config',
      field: 'url',
      value: '(hidden: may hold a token)',
      fix: 'store the full URL in a secret (strata secret set slack url=https://hooks.example/...) and set url to {{secret.slack.url}}',
    });
  }
  return url;
}
