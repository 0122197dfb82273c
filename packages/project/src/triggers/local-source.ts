import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { StrataError } from '@strata/core';
import { localBase, type SourceLocation } from './source-location.js';

/** One observed version of a watched source: what a new-data firing is keyed by. */
export interface SourceVersion {
  readonly uri: string;
  /** Identifies the data: equal digests mean the same set of files with the same sizes and times. */
  readonly digest: string;
  readonly count: number;
  /** relative name -> `size:mtimeMs` (up to 256 entries), so a firing can say which files are new. */
  readonly entries: Readonly<Record<string, string>>;
}

const ENTRY_LIMIT = 256;

/**
 * Lists a local directory (recursively, with an optional glob) and digests names, sizes and
 * modification times: cheap enough to poll every second without reading the files. A file still being
 * written changes size or time between polls, so the agent waits for two equal looks (see settle).
 */
export async function localSourceVersion(
  location: SourceLocation,
  projectRoot: string,
): Promise<SourceVersion> {
  const base = localBase(location, projectRoot);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(base);
  } catch {
    throw new StrataError(`source ${location.uri} does not exist`, {
      code: 'unknown_source',
      field: 'source',
      value: location.uri,
      fix: `create the folder (mkdir -p ${base}) or fix the path (relative paths start at the project root)`,
    });
  }
  const matcher = location.glob === undefined ? undefined : globMatcher(location.glob);
  const files: [string, string][] = [];
  if (info.isFile()) files.push([relative(projectRoot, base), `${info.size}:${info.mtimeMs}`]);
  else {
    for (const entry of await readdir(base, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const name = relative(base, path);
      if (name.split('/').some((p) => p.startsWith('.'))) continue;
      if (matcher && !matcher(name)) continue;
      const s = await stat(path).catch(() => undefined);
      if (s) files.push([name, `${s.size}:${s.mtimeMs}`]);
    }
  }
  files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256');
  for (const [name, fact] of files) hash.update(`${name}\0${fact}\n`);
  return {
    uri: location.uri,
    digest: `files:${hash.digest('hex').slice(0, 32)}`,
    count: files.length,
    entries: Object.fromEntries(files.slice(0, ENTRY_LIMIT)),
  };
}

/** `*` within a name, `**` across folders, `?` one character, `{a,b}` alternatives. */
export function globMatcher(glob: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      re += `(${glob
        .slice(i + 1, end)
        .split(',')
        .map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&'))
        .join('|')})`;
      i = end;
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`);
  return (name) => compiled.test(name);
}
