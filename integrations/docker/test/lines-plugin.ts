/**
 * A plugin that contributes only a materializer (text lines, one per line): listed in the test
 * project's config, so step containers must load it from the stack's container to read or write
 * `t.custom('lines')` values.
 */
import { definePlugin, type Materializer } from '@strata/core/plugin';

const linesMaterializer: Materializer<string[]> = {
  id: 'lines',
  version: 1,
  kinds: ['custom:lines'],
  accepts: (value) => Array.isArray(value) && value.every((v) => typeof v === 'string'),
  async save(value, sink) {
    sink.write(`${value.join('\n')}\n`);
    return { preview: `${value.length} lines` };
  },
  async load(source) {
    let text = '';
    for await (const chunk of source) text += chunk;
    return text.split('\n').slice(0, -1);
  },
};

export const plugin = definePlugin('docker-test-lines', [], { materializers: [linesMaterializer] });
