import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodes } from './codes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const page = readFileSync(join(root, 'docs/errors.md'), 'utf8');
/** Codes the page documents: each entry starts with `- **code**:`. */
const documented = [...page.matchAll(/^- \*\*([a-z_]+)\*\*:/gm)].map((m) => m[1]!);

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.tsx?$/.test(entry) && !/\.spec\.tsx?$/.test(entry) && !full.endsWith('errors/codes.ts'))
      out.push(full);
  }
  return out;
}

describe('docs/errors.md and the error-code registry', () => {
  it('documents every registered code once', () => {
    const missing = errorCodes.filter((code) => !documented.includes(code));
    expect(missing, 'codes missing from docs/errors.md').toEqual([]);
    const twice = documented.filter((code, i) => documented.indexOf(code) !== i);
    expect(twice, 'codes documented twice').toEqual([]);
  });

  it('documents no code that is not registered', () => {
    const known = new Set<string>(errorCodes);
    expect(
      documented.filter((code) => !known.has(code)),
      'codes on docs/errors.md that nothing can raise',
    ).toEqual([]);
  });

  it('registers no code that nothing raises', () => {
    // StrataError.code is typed with the registry, so every raised code is registered; this is the
    // other direction: a code no source file names any more is dead and leaves the registry and page.
    const text = ['packages', 'integrations']
      .flatMap((top) => readdirSync(join(root, top)).map((name) => join(root, top, name, 'src')))
      .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      .flatMap((dir) => sources(dir))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const dead = errorCodes.filter((code) => !text.includes(`'${code}'`));
    expect(dead, 'registered codes no source raises').toEqual([]);
  });
});
