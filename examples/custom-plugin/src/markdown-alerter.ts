// Section 9 of docs/plugins.md: an Alerter tells people what happened (a promotion, a failed run, ...).
// This one appends each event as a Markdown section to a file, e.g. a team's ops journal.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type AlertEvent, type Alerter, StrataError } from '@strata/core';

export class MarkdownAlerter implements Alerter {
  readonly flavor = 'markdown';

  constructor(private readonly file: string) {}

  async send(event: AlertEvent): Promise<void> {
    const section = [
      `## ${event.title}`,
      '',
      `- kind: ${event.kind}`,
      `- severity: ${event.severity}`,
      `- at: ${new Date(event.at).toISOString()}`,
      `- fields: \`${JSON.stringify(event.fields)}\``,
      '',
      event.text,
      '',
      '',
    ].join('\n');
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, section);
    } catch (error) {
      // Callers (sendAlert) report this on stderr and go on: an alert never fails the run it reports.
      throw new StrataError(`cannot append the alert to ${this.file}: ${(error as Error).message}`, {
        code: 'alert_failed',
        field: 'file',
        value: this.file,
        fix: 'point the alerter at a writable file: strata alerter update NAME --file PATH',
        cause: error,
      });
    }
  }
}
