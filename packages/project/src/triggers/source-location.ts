import { isAbsolute, resolve } from 'node:path';

/**
 * A watched source as written (`data/incoming`, `data/*.csv`, `s3://bucket/prefix/`) split into its
 * base (a directory or an object prefix) and the glob under it, the shape core's SourceSpec has.
 */
export interface SourceLocation {
  readonly uri: string;
  readonly glob?: string;
  readonly scheme: 'file' | 's3' | 'gs' | 'az';
}

const WILDCARD = /[*?[{]/;

export function sourceLocation(source: string): SourceLocation {
  const match = /^([a-z0-9]+):\/\//i.exec(source);
  const scheme = (match?.[1]?.toLowerCase() ?? 'file') as SourceLocation['scheme'];
  const body = match && scheme === 'file' ? source.slice('file://'.length) : source;
  const parts = body.split('/');
  const first = parts.findIndex((p) => WILDCARD.test(p));
  if (first < 0) return { uri: body, scheme };
  return { uri: `${parts.slice(0, first).join('/')}/`, glob: parts.slice(first).join('/'), scheme };
}

/** The absolute directory of a local source. */
export function localBase(location: SourceLocation, projectRoot: string): string {
  return isAbsolute(location.uri) ? location.uri : resolve(projectRoot, location.uri);
}
