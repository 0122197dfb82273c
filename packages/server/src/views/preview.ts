import type { ArtifactRecord } from '@strata/core';
import type { Preview } from '../schemas/artifacts.js';
import type { ArtifactReader } from './artifact-reader.js';

const MAX_ROWS = 50;
const MAX_ITEMS = 100;
const TABLE_READ_LIMIT = 64 * 1024 * 1024;

/**
 * A preview that never reads more than `maxBytes` from the store (a table reads only its first
 * record batch): JSON values (trimmed to 100 items per level), text, tables with column types,
 * images as a data URL, otherwise the materializer's recorded summary.
 */
export async function previewArtifact(
  reader: ArtifactReader,
  artifact: ArtifactRecord,
  maxBytes: number,
): Promise<Preview> {
  switch (artifact.materializer) {
    case 'strata.json': {
      const { bytes, complete } = await reader.head(artifact, maxBytes);
      if (complete) {
        const trimmed = trim(JSON.parse(bytes.toString('utf8')), 0);
        return { type: 'json', value: trimmed.value, truncated: trimmed.cut };
      }
      return { type: 'text', text: bytes.toString('utf8'), truncated: true };
    }
    case 'strata.string': {
      const { bytes, complete } = await reader.head(artifact, maxBytes);
      return { type: 'text', text: bytes.toString('utf8'), truncated: !complete };
    }
    case 'strata.arrow':
      // The first record batch is read whole; a table stored as one huge batch shows its summary instead.
      if (artifact.size > TABLE_READ_LIMIT) return { type: 'json', value: artifact.summary, truncated: true };
      return previewTable(reader, artifact);
    case 'strata.file':
    case 'strata.bytes': {
      const { bytes, complete } = await reader.head(artifact, maxBytes);
      const image = imageType(bytes);
      if (image && complete)
        return {
          type: 'image',
          mediaType: image,
          dataUrl: `data:${image};base64,${bytes.toString('base64')}`,
        };
      if (image)
        return {
          type: 'binary',
          size: artifact.size,
          reason: `${image} larger than the ${maxBytes}-byte preview limit`,
        };
      if (looksLikeText(bytes)) return { type: 'text', text: bytes.toString('utf8'), truncated: !complete };
      return { type: 'binary', size: artifact.size, reason: 'binary content; download it instead' };
    }
    default:
      return { type: 'json', value: artifact.summary, truncated: false };
  }
}

async function previewTable(reader: ArtifactReader, artifact: ArtifactRecord): Promise<Preview> {
  const { RecordBatchReader } = await import('apache-arrow');
  const stream = await reader.open(artifact);
  try {
    const batches = await RecordBatchReader.from(stream as AsyncIterable<Uint8Array>);
    // A stream reader has no schema until it is opened (reads the schema message).
    await batches.open();
    const columns = batches.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
    const rows: unknown[][] = [];
    // Batches arrive one at a time: stop after the first that fills the page (at most a batch in memory).
    for await (const batch of batches) {
      for (let i = 0; i < batch.numRows && rows.length < MAX_ROWS; i++) {
        const row = batch.get(i)?.toJSON() as Record<string, unknown> | undefined;
        rows.push(columns.map((c) => jsonSafe(row?.[c.name])));
      }
      if (rows.length >= MAX_ROWS) break;
    }
    const shape = (artifact.summary as { shape?: unknown } | null)?.shape;
    const totalRows = Array.isArray(shape) && typeof shape[0] === 'number' ? shape[0] : null;
    return {
      type: 'table',
      columns,
      rows,
      totalRows,
      truncated: totalRows === null || totalRows > rows.length,
    };
  } finally {
    stream.destroy();
  }
}

function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object' && 'toJSON' in v) return (v as { toJSON(): unknown }).toJSON();
  return v ?? null;
}

function trim(value: unknown, depth: number): { value: unknown; cut: boolean } {
  if (depth > 8) return { value: '…', cut: true };
  if (Array.isArray(value)) {
    let cut = value.length > MAX_ITEMS;
    const out = value.slice(0, MAX_ITEMS).map((v) => {
      const t = trim(v, depth + 1);
      cut ||= t.cut;
      return t.value;
    });
    return { value: out, cut };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    let cut = entries.length > MAX_ITEMS;
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries.slice(0, MAX_ITEMS)) {
      const t = trim(v, depth + 1);
      cut ||= t.cut;
      out[k] = t.value;
    }
    return { value: out, cut };
  }
  return { value, cut: false };
}

function imageType(b: Buffer): string | undefined {
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && b.subarray(0, 6).toString('latin1').startsWith('GIF8')) return 'image/gif';
  if (
    b.length >= 12 &&
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return undefined;
}

function looksLikeText(b: Buffer): boolean {
  if (b.includes(0)) return false;
  const text = b.toString('utf8');
  // U+FFFD from invalid sequences (allow one at the cut end of a truncated multibyte character).
  return (text.match(/\uFFFD/g)?.length ?? 0) <= 1;
}
