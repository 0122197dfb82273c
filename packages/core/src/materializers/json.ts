import { canonicalJson } from '../hash/canonical-json.js';
import { readAll, writeChunk } from '../util/stream.js';
import { type EncodedValue, type Materializer, preview } from './materializer.js';

const NON_FINITE_AS_NULL = { nonFinite: 'null' } as const;

/** Every JSON output of every step is encoded here: the summary is written out, not spread. */
function encodeJson(value: unknown): EncodedValue {
  const text = canonicalJson(value, NON_FINITE_AS_NULL);
  const summary = Array.isArray(value)
    ? { schema: { type: 'array' }, shape: [value.length], preview: preview(text) }
    : { schema: { type: value === null ? 'null' : typeof value }, preview: preview(text) };
  return { bytes: Buffer.from(text), summary };
}

function encodeString(value: string): EncodedValue {
  return {
    bytes: Buffer.from(value),
    summary: { schema: { type: 'string' }, shape: [value.length], preview: preview(value) },
  };
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
  encode: encodeJson,
  decode: (bytes) => JSON.parse(bytes.toString('utf8')),
  async save(value, sink) {
    const { bytes, summary } = encodeJson(value);
    await writeChunk(sink, bytes);
    return summary;
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
  encode: encodeString,
  decode: (bytes) => bytes.toString('utf8'),
  async save(value, sink) {
    const { bytes, summary } = encodeString(value);
    await writeChunk(sink, bytes);
    return summary;
  },
  async load(source) {
    return (await readAll(source)).toString('utf8');
  },
};
