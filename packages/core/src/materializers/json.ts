import { canonicalJson } from '../hash/canonical-json.js';
import { readAll, writeChunk } from '../util/stream.js';
import { type Materializer, preview } from './materializer.js';

function describeJson(value: unknown) {
  if (Array.isArray(value)) return { schema: { type: 'array' }, shape: [value.length] };
  return { schema: { type: value === null ? 'null' : typeof value } };
}

/**
 * JSON-compatible values, written canonically (sorted keys) so equal values give equal content hashes
 * whatever order the step built them in.
 */
export const jsonMaterializer: Materializer<unknown> = {
  id: 'strata.json',
  // v2: class instances serialize through their toJSON(), as JSON.stringify does.
  version: 2,
  kinds: ['json', 'number', 'boolean', 'any'],
  accepts: (value) => value === null || ['string', 'number', 'boolean', 'object'].includes(typeof value),
  async save(value, sink) {
    const text = canonicalJson(value, { nonFinite: 'null' });
    await writeChunk(sink, text);
    return { ...describeJson(value), preview: preview(text) };
  },
  async load(source) {
    return JSON.parse((await readAll(source)).toString('utf8'));
  },
};

/** Plain UTF-8 text, so a string artifact is readable with `cat`. */
export const stringMaterializer: Materializer<string> = {
  id: 'strata.string',
  version: 1,
  kinds: ['string'],
  accepts: (value) => typeof value === 'string',
  async save(value, sink) {
    await writeChunk(sink, value);
    return { schema: { type: 'string' }, shape: [value.length], preview: preview(value) };
  },
  async load(source) {
    return (await readAll(source)).toString('utf8');
  },
};
