import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../hash/canonical-json.js';
import { type CodeIdentity, moduleCodeIdentity } from './module-identity.js';

/** Frames from this folder (step(), this file) are the framework, not the user's module. */
const here = dirname(fileURLToPath(import.meta.url));
const files = new Map<string, string | undefined>();

/**
 * The code part of a step's cache key. `fn.toString()` returns what the loader produced, not what the
 * user wrote, and loaders differ: tsx (esbuild) and Vite/vitest print the same function with other
 * whitespace, quotes and parentheses, rename shadowed identifiers, and Vite rewrites imports as
 * `(0,__vite_ssr_import_1__.name)`. So the hash is taken over the `run` property as written in the
 * original source file, found from the (source-mapped) call site of `step()`; a step submitted from a
 * test runner and executed by a `strata` step process then hashes the same. Where the source cannot be
 * read (bundled or generated code), a normalized `fn.toString()` is used instead.
 */
export function codeHashOf(parts: {
  run: (...args: never[]) => unknown;
  inputs: unknown;
  outputs: unknown;
}): { hash: string; identity?: CodeIdentity } {
  const site = callSite();
  const text = site ? readSource(site.path) : undefined;
  const offset = text === undefined || !site ? undefined : offsetOf(text, site.line, site.column);
  const run =
    (text !== undefined && offset !== undefined ? runProperty(text, offset) : undefined) ??
    normalizeSource(parts.run.toString());
  const identity = site && text !== undefined ? moduleCodeIdentity(site.path) : undefined;
  const hash = sha256Hex(
    JSON.stringify({
      run,
      inputs: parts.inputs,
      outputs: parts.outputs,
      ...(identity ? { module: identity.hash } : {}),
    }),
  );
  return identity ? { hash, identity } : { hash };
}

/** The (source-mapped) position of the user's `step(` call: the first frame outside this folder. */
function callSite(): { path: string; line: number; column: number } | undefined {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    const match = /\(?((?:file:\/\/)?\/[^():?]+\.[cm]?[jt]sx?)(?:\?[^\s():]*)?:(\d+):(\d+)\)?$/.exec(
      frame.trim(),
    );
    if (!match) continue;
    const path = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (path.startsWith(`${here}/`) && !/\.spec\.[jt]s$/.test(path)) continue;
    return { path, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/** Forgets the cached source texts (with module-identity's forgetModules, for tests). */
export function forgetSources(): void {
  files.clear();
}

export function readSource(path: string): string | undefined {
  if (!files.has(path)) {
    try {
      files.set(path, readFileSync(path, 'utf8'));
    } catch {
      files.set(path, undefined);
    }
  }
  return files.get(path);
}

export function offsetOf(text: string, line: number, column: number): number | undefined {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  return offset + column - 1;
}

/**
 * From a `step(` call at `offset`, the text of the `run` property of its spec object (a method or a
 * function-valued property), normalized; undefined if the call does not look like `step({ ... run ... })`.
 */
function runProperty(text: string, offset: number): string | undefined {
  const open = text.indexOf('(', offset);
  if (open < 0 || !/^[\w$.]*\s*(<[^>]*>)?\s*$/.test(text.slice(offset, open))) return undefined;
  let depth = 0;
  let start = -1;
  for (const token of tokens(text, open)) {
    if (token.kind === 'open') depth++;
    if (token.kind === 'close') {
      depth--;
      if (depth === 0) break;
      if (depth === 1 && start >= 0) return normalizeSource(text.slice(start, token.at));
    }
    if (depth === 2 && token.kind === 'comma' && start >= 0)
      return normalizeSource(text.slice(start, token.at));
    if (depth === 2 && token.kind === 'word' && start < 0 && /^\s*(\(|:|<)/.test(text.slice(token.end))) {
      const before = text.slice(0, token.at).trimEnd();
      if (token.value === 'run' && /[{,]$|\basync$/.test(before)) {
        start = /\basync$/.test(before) ? before.length - 5 : token.at;
      }
    }
  }
  return undefined;
}

export type Token = { kind: 'open' | 'close' | 'comma' | 'word'; at: number; end: number; value: string };

/** Brackets, commas and words outside strings, templates and comments. */
export function* tokens(text: string, from: number): Generator<Token> {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i);
    } else if ('({['.includes(c)) {
      yield { kind: 'open', at: i, end: ++i, value: c };
    } else if (')}]'.includes(c)) {
      yield { kind: 'close', at: i, end: ++i, value: c };
    } else if (c === ',') {
      yield { kind: 'comma', at: i, end: ++i, value: c };
    } else if (/[\w$]/.test(c)) {
      const start = i;
      while (i < text.length && /[\w$]/.test(text[i]!)) i++;
      yield { kind: 'word', at: start, end: i, value: text.slice(start, i) };
    } else i++;
  }
}

function skipString(text: string, at: number): number {
  const quote = text[at]!;
  let i = at + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\') i += 2;
    else if (quote === '`' && text[i] === '$' && text[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
        else if (text[i] === '"' || text[i] === "'" || text[i] === '`') i = skipString(text, i) - 1;
        i++;
      }
    } else i++;
  }
  return i + 1;
}

/** Source text without comments, whitespace, `;`, trailing commas and quote-style differences. */
export function normalizeSource(source: string): string {
  const text = source
    .replace(/\(0,\s*__vite_ssr_import_\d+__\.([\w$]+)\)/g, '$1')
    .replace(/__vite_ssr_import_\d+__\.([\w$]+)/g, '$1')
    .replace(/__vite_ssr_dynamic_import__/g, 'import')
    .replace(/__vite_ssr_import_meta__/g, 'import.meta');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const escaped = text[i + 1]!;
          value += escaped === '"' || escaped === "'" ? escaped : `\\${escaped}`;
          i += 2;
        } else value += text[i++];
      }
      i++;
      out += `"${value.replace(/"/g, '\\"')}"`;
    } else if (c === '`') {
      const end = skipString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (/\s/.test(c) || c === ';') {
      i++;
    } else if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (!['}', ')', ']'].includes(text[j] ?? '')) out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/\(([\w$]+)\)=>/g, '$1=>');
}
