import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Frames from this folder (pipeline(), compile) are the framework, not the user's module. */
const here = dirname(fileURLToPath(import.meta.url));

/**
 * The file that called pipeline(), read from the call stack. Workers in other processes import this
 * file to get the step functions back; tsx and Node both report original source paths.
 */
export function definingModule(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    // A module imported from a versioned URL (`?strata-code=`, Temporal workers) reports the query too.
    const match = /\(?((?:file:\/\/)?\/[^():?]+\.[cm]?[jt]sx?)(?:\?[^\s():]*)?(?::\d+){0,2}\)?$/.exec(
      frame.trim(),
    );
    if (!match) continue;
    const path = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (path.startsWith(here) && !/\.spec\.[jt]s$/.test(path)) continue;
    if (path.includes('/node_modules/')) continue;
    return path;
  }
  return '<unknown>';
}
