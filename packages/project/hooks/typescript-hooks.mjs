// Module hooks registered by enableTypeScript() (src/pipeline-file.ts): Node imports the user's
// TypeScript (.ts, .mts) through them. A lighter stand-in for tsx on the `strata run` path: tsx's
// loader costs about 0.16 s of CPU per process (its code, esbuild's API and tsconfig handling load in
// both threads); these hooks load nothing but Node's own modules when the compiled file is cached.
//
// - resolve: inside a TypeScript file, `./x.js` may name `./x.ts` (and `./x` `./x.ts` or
//   `./x/index.ts`), the TypeScript convention tsx also follows.
// - load: a .ts/.mts file is compiled by esbuild (its build API, so the nearest tsconfig.json and its
//   `extends` apply, e.g. experimentalDecorators), with an inline source map (stack traces, and so
//   step code hashes, point at the original lines), and always as an ES module. The output is cached
//   in a per-user directory under the OS temp dir (or STRATA_TS_CACHE), keyed by this file's version, esbuild's version,
//   the path, the source and the tsconfig files that apply; writes are atomic (temp file + rename).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = 1;
const TYPESCRIPT = /\.m?ts$/;
const RELATIVE = /^(\.{1,2}\/|\/|file:)/;

const cacheDir = process.env.STRATA_TS_CACHE || join(tmpdir(), `strata-ts-${safeUser()}`);
let esbuild;

function safeUser() {
  try {
    return String(userInfo().uid);
  } catch {
    return 'user';
  }
}

const isTypeScript = (url) => url.startsWith('file:') && TYPESCRIPT.test(url.split('?')[0]);

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const parent = context.parentURL;
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'ERR_UNSUPPORTED_DIR_IMPORT';
    if (!missing || !parent || !isTypeScript(parent)) throw error;
    if (!RELATIVE.test(specifier)) throw error;
    for (const alternative of alternativesOf(specifier)) {
      try {
        return await next(alternative, context);
      } catch {}
    }
    throw error;
  }
}

function alternativesOf(specifier) {
  if (/\.js$/.test(specifier)) return [specifier.replace(/\.js$/, '.ts')];
  if (/\.mjs$/.test(specifier)) return [specifier.replace(/\.mjs$/, '.mts')];
  if (/\.[a-z]+$/i.test(specifier.split('/').pop() ?? '')) return [];
  return [`${specifier}.ts`, `${specifier}/index.ts`];
}

export async function load(url, context, next) {
  if (!isTypeScript(url)) return next(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const configs = tsconfigTexts(dirname(path));
  const key = createHash('sha256')
    .update(JSON.stringify([VERSION, path, source, configs]))
    .digest('hex');
  const cached = join(cacheDir, `${key}.mjs`);
  let code;
  try {
    if (!cacheIsPrivate()) throw new Error('no trusted cache');
    code = readFileSync(cached, 'utf8');
  } catch {
    code = await compile(path);
    try {
      if (!cacheIsPrivate()) return { format: 'module', source: code, shortCircuit: true };
      const temp = `${cached}.${process.pid}.${Date.now()}.tmp`;
      writeFileSync(temp, code);
      renameSync(temp, cached);
    } catch {
      // An unwritable cache only costs the next process a compile.
    }
  }
  return { format: 'module', source: code, shortCircuit: true };
}

/**
 * The cache is used only when it is a directory of this user that nobody else may write to (created
 * 0700 when missing): code read from it runs, so a directory planted by another user is ignored.
 */
let privateCache;
function cacheIsPrivate() {
  if (privateCache === undefined) {
    try {
      mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      const stat = statSync(cacheDir);
      const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
      privateCache = stat.isDirectory() && stat.uid === uid && (stat.mode & 0o022) === 0;
    } catch {
      privateCache = false;
    }
  }
  return privateCache;
}

async function compile(path) {
  esbuild ??= await import('esbuild');
  const dir = dirname(path);
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [path],
      absWorkingDir: dir,
      outdir: dir,
      write: false,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'inline',
      logLevel: 'silent',
    });
  } catch (error) {
    // One line that names the place, like Node's own SyntaxError (esbuild's message lists them below).
    const first = error?.errors?.[0];
    if (!first) throw error;
    const at = first.location ? `${path}:${first.location.line}:${first.location.column + 1}` : path;
    throw new SyntaxError(`${first.text} (${at})`);
  }
  return result.outputFiles[0].text;
}

/** The nearest tsconfig.json above `dir` and the files it `extends` by relative path (texts, for the key). */
function tsconfigTexts(dir) {
  const texts = [esbuildVersion()];
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, 'tsconfig.json');
    const text = readText(file);
    if (text !== undefined) {
      let current = { file, text };
      for (let depth = 0; current && depth < 5; depth++) {
        texts.push(current.text);
        const base = /"extends"\s*:\s*"(\.[^"]+)"/.exec(current.text)?.[1];
        if (!base) break;
        const next = resolvePath(dirname(current.file), base.endsWith('.json') ? base : `${base}.json`);
        const nextText = readText(next);
        current = nextText === undefined ? undefined : { file: next, text: nextText };
      }
      return texts;
    }
    if (dirname(at) === at) return texts;
  }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

let version;
function esbuildVersion() {
  if (version === undefined) {
    try {
      const main = createRequire(import.meta.url).resolve('esbuild');
      const pkg = join(main.slice(0, main.lastIndexOf('/lib/')), 'package.json');
      version = JSON.parse(readFileSync(pkg, 'utf8')).version;
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
