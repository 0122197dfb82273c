// The alerter contract from @strata/testing, run against this plugin's alerter: `received` parses the
// Markdown file back into events.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertKind } from '@strata/core';
import { describeAlerterContract } from '@strata/testing';
import { MarkdownAlerter } from './markdown-alerter.js';

describeAlerterContract('markdown (examples/custom-plugin)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'strata-markdown-alerter-'));
  const file = join(dir, 'alerts.md');
  return {
    alerter: new MarkdownAlerter(file),
    async received() {
      const sections = (await readFile(file, 'utf8')).split(/^## /m).slice(1);
      return sections.map((section) => ({
        title: section.split('\n')[0]!,
        kind: /^- kind: (.+)$/m.exec(section)![1] as AlertKind,
        fields: JSON.parse(/^- fields: `(.+)`$/m.exec(section)![1]!),
      }));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
