import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import type { ArtifactRecord } from '@strata/core';
import type { ArtifactReader } from './artifact-reader.js';
import { parseRange } from './range.js';

/** Objects whose whole content was hashed and matched (content-addressed, so they stay valid). */
const verified = new Set<string>();
const MAX_VERIFIED = 10_000;

function remember(key: string): void {
  verified.add(key);
  if (verified.size > MAX_VERIFIED) verified.delete(verified.values().next().value as string);
}

/** Passes bytes [start, end] of what flows through and drops the rest (the source still reads to its end). */
function slice(start: number, end: number): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.length, end + 1 - offset);
      offset += chunk.length;
      done(null, from < to ? chunk.subarray(from, to) : undefined);
    },
  });
}

/**
 * The artifact's bytes as an HTTP response: 200 for all of it (verified while it streams: a mismatch
 * aborts the body, so the client sees a short read, never silently corrupt bytes), 206 for one range
 * (the whole object is verified once first, then ranges are served), 416 for a range past its end.
 */
export async function downloadResponse(
  reader: ArtifactReader,
  artifact: ArtifactRecord,
  rangeHeader: string | undefined,
): Promise<Response> {
  const headers = new Headers({
    'content-type': 'application/octet-stream',
    'content-disposition': `attachment; filename="${artifact.id.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    etag: `"${artifact.sha256}"`,
    'accept-ranges': 'bytes',
    'x-strata-sha256': artifact.sha256,
  });
  const range = parseRange(rangeHeader, artifact.size);
  if (range.kind === 'unsatisfiable') {
    headers.set('content-range', `bytes */${artifact.size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range.kind === 'full') {
    const stream = await reader.open(artifact);
    headers.set('content-length', String(artifact.size));
    return new Response(Readable.toWeb(stream) as ReadableStream, { status: 200, headers });
  }
  const key = `${artifact.storeIdentity}\0${artifact.sha256}`;
  if (!verified.has(key)) {
    const whole = await reader.open(artifact);
    for await (const _ of whole) {
      // hashing happens in the verifier; a mismatch rejects here before any byte is sent
    }
    remember(key);
  }
  const file = await reader.localFile(artifact);
  const body = file
    ? createReadStream(file, { start: range.start, end: range.end })
    : (await reader.open(artifact)).pipe(slice(range.start, range.end));
  headers.set('content-length', String(range.end - range.start + 1));
  headers.set('content-range', `bytes ${range.start}-${range.end}/${artifact.size}`);
  return new Response(Readable.toWeb(body) as ReadableStream, { status: 206, headers });
}
