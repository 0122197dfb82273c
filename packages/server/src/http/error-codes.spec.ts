import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCodes } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { httpErrorCodes } from './error-codes.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..');
const page = readFileSync(join(src, '../../../docs/errors.md'), 'utf8');
const section = page.slice(page.indexOf('### HTTP API error bodies'));
/** Rows of the table: | `code` | status | ... */
const rows = [...section.matchAll(/^\| `([a-z_<>]+)` \| (\d+|any) \|/gm)].map((m) => [m[1]!, m[2]!] as const);

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts') && entry !== 'error-codes.ts')
      out.push(full);
  }
  return out;
}

describe('HTTP API error codes and docs/errors.md', () => {
  it('documents every HTTP-only code once, with its status', () => {
    const documented = new Map(rows);
    expect(rows.length, 'table rows in the HTTP API section').toBe(documented.size);
    for (const [code, status] of Object.entries(httpErrorCodes)) {
      expect(documented.get(code), `${code} in docs/errors.md`).toBe(String(status));
    }
  });

  it('documents nothing else, and no code there collides with the StrataError registry', () => {
    const known = new Set<string>([...Object.keys(httpErrorCodes), 'http_<status>']);
    expect(rows.map(([c]) => c).filter((c) => !known.has(c))).toEqual([]);
    const registry = new Set<string>(errorCodes);
    expect(Object.keys(httpErrorCodes).filter((c) => registry.has(c))).toEqual([]);
  });

  it('lists no code the server never answers with', () => {
    const text = sources(src)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(Object.keys(httpErrorCodes).filter((c) => !text.includes(`'${c}'`))).toEqual([]);
  });
});
