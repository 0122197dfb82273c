import { createHash } from 'node:crypto';
import { StrataError } from '../errors/strata-error.js';
import type { SourceFingerprinter } from './source-spec.js';

/**
 * An http(s) URL, from a HEAD request: its ETag, else Last-Modified with Content-Length. A server that
 * sends neither cannot say whether the data changed without sending it, so the body is downloaded
 * and hashed (streamed, never held whole).
 */
export const httpFingerprinter: SourceFingerprinter = {
  schemes: ['http', 'https'],
  async fingerprint(spec, context) {
    const init = context.signal ? { signal: context.signal } : {};
    const head = await request(spec.uri, 'HEAD', init);
    const etag = head.headers.get('etag');
    const modified = head.headers.get('last-modified');
    const length = head.headers.get('content-length');
    const size = length === null ? undefined : Number(length);
    const details = {
      ...(etag ? { etag } : {}),
      ...(modified ? { lastModified: modified } : {}),
    };
    const base = {
      uri: spec.uri,
      scheme: spec.uri.startsWith('https') ? ('https' as const) : ('http' as const),
      count: 1,
    };
    if (etag && !etag.startsWith('W/')) {
      return { ...base, digest: `etag:${etag}`, ...(size === undefined ? {} : { size }), details };
    }
    if (modified) {
      return {
        ...base,
        digest: `last-modified:${modified};${length ?? '?'}`,
        ...(size === undefined ? {} : { size }),
        details,
      };
    }
    const response = await request(spec.uri, 'GET', init);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
    return { ...base, digest: `sha256:${hash.digest('hex')}`, size: bytes, details: { downloaded: true } };
  },
};

async function request(uri: string, method: 'HEAD' | 'GET', init: { signal?: AbortSignal }) {
  let response: Response;
  try {
    response = await fetch(uri, { method, redirect: 'follow', ...init });
  } catch (error) {
    throw new StrataError(`source ${redact(uri)} cannot be reached: ${(error as Error).message}`, {
      code: 'source_unreachable',
      field: 'source',
      value: redact(uri),
      fix: 'check the URL and the network',
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new StrataError(`source ${redact(uri)} answered ${response.status} ${response.statusText}`, {
      code: 'source_unreachable',
      field: 'source',
      value: redact(uri),
      fix: response.status === 404 ? 'check the URL' : 'check access to the URL',
    });
  }
  return response;
}

/** A URL without its query string and credentials, which may carry tokens (signed URLs). */
export function redact(uri: string): string {
  try {
    const url = new URL(uri);
    url.username = '';
    url.password = '';
    // Set as text after serializing: URL would percent-encode the ellipsis.
    const query = url.search ? '?…' : '';
    url.search = '';
    return `${url.toString()}${query}`;
  } catch {
    return uri;
  }
}
