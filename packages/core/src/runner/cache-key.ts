import { createHash, type Hash, randomUUID } from 'node:crypto';
import { canonicalJson, canonicalTextOf, hashJson, sha256Hex } from '../hash/canonical-json.js';
import type { JsonValue } from '../metadata/records.js';
import type { SourceFingerprint } from '../source/source-spec.js';

/** What the key keeps of a source's fingerprint: the version, and per-entry digests to name what changed. */
export interface SourcePart {
  readonly uri: string;
  readonly digest: string;
  readonly entries?: Readonly<Record<string, string>>;
}

/** The named parts a cache key is hashed from; stored so a miss can say which part changed. */
export interface CacheParts {
  /** The step's code hash (its run, interface and module identity), or `version:<v>` when set explicitly. */
  readonly code: string;
  /** The local modules behind `code` (path -> sha256); absent with an explicit version. */
  readonly files?: Readonly<Record<string, string>>;
  /** Installed versions of the packages those modules import; absent with an explicit version. */
  readonly packages?: Readonly<Record<string, string>>;
  readonly params: Record<string, JsonValue>;
  /** input name -> content hash (or the list of hashes of a collected input) */
  readonly inputs: Record<string, string | string[]>;
  /** source input name -> the fingerprint of the data it read */
  readonly sources?: Readonly<Record<string, SourcePart>>;
  /** output name -> materializer id@version ("auto" when chosen from the value) */
  readonly outputs: Record<string, string>;
  readonly store: string;
}

/**
 * The cache key: sha256 of the parts' canonical JSON. A step's `files` and `packages` (its code
 * identity: every local module it imports, which in a big project is hundreds of entries and
 * kilobytes of text) are the same objects for every execution of the node, so their canonical text
 * and the hash state up to them are computed once per object, not once per step. The key is byte
 * for byte `hashJson(parts)` (cache-key.spec checks it).
 */
export function cacheKey(parts: CacheParts): string {
  const key = fromTemplate.get(parts)?.key(parts.inputs);
  return key ?? plainCacheKey(parts);
}

/** cacheKey of any parts, written whole (the code identity's text spliced in from its cache). */
function plainCacheKey(parts: CacheParts): string {
  const { files, packages } = parts;
  if (files === undefined) return hashJson(parts);
  // Canonical key order: code, files, inputs, outputs, packages, params, sources, store. Write the
  // rest with stand-ins for the two maps and splice their texts in.
  const text = canonicalJson({
    ...parts,
    files: FILES_STAND_IN,
    ...(packages === undefined ? {} : { packages: PACKAGES_STAND_IN }),
  });
  const filesAt = text.indexOf(FILES_JSON);
  const prefix = text.slice(0, filesAt);
  let rest = text.slice(filesAt + FILES_JSON.length);
  if (packages !== undefined) {
    const packagesText = canonicalTextOf(packages);
    rest = rest.replace(PACKAGES_JSON, () => packagesText);
  }
  const filesText = canonicalTextOf(files);
  // A short text is hashed in one call (cheaper than copying a hash state); a long one from the state.
  if (filesText.length <= ONE_SHOT_MAX) return sha256Hex(prefix + filesText + rest);
  return prefixHash(prefix, files).copy().update(rest).digest('hex');
}

/** Code identities up to this many characters are hashed with the rest of the key in one call. */
const ONE_SHOT_MAX = 4096;

/** Stand-ins no real part can contain (a per-process random id). */
const FILES_STAND_IN = `\u0000files ${randomUUID()}`;
const PACKAGES_STAND_IN = `\u0000packages ${randomUUID()}`;
const FILES_JSON = JSON.stringify(FILES_STAND_IN);
const PACKAGES_JSON = JSON.stringify(PACKAGES_STAND_IN);

/** The sha256 state after `prefix` + the files' text, by files object (the prefix is `{"code":"…",`). */
const prefixHashes = new WeakMap<object, { prefix: string; hash: Hash }>();
function prefixHash(prefix: string, files: object): Hash {
  const known = prefixHashes.get(files);
  if (known?.prefix === prefix) return known.hash;
  const hash = createHash('sha256').update(prefix).update(canonicalTextOf(files));
  prefixHashes.set(files, { prefix, hash });
  return hash;
}

/** The parts NodeKeyParts made, with the template whose text they share (see cacheKey). */
const fromTemplate = new WeakMap<CacheParts, NodeKeyParts>();

/** A node's key parts without its inputs (and without sources: a node with sources has no template). */
export type FixedParts = Omit<CacheParts, 'inputs' | 'sources'>;

/**
 * The key parts of one node, every part but the inputs fixed: the instances of a mapped step differ
 * only in their inputs, so the canonical text of the rest (code identity, params, outputs, store) is
 * written once per node, and each instance's key hashes that text around its inputs' text. Parts made
 * by `withInputs` keep the key order and values of the plain object (they are stored as they are);
 * `cacheKey` of them is byte for byte `hashJson(parts)` (cache-key.spec checks it).
 */
export class NodeKeyParts {
  /**
   * `{"code":…,"files":…,"inputs":` and the text after the inputs, written on first use; null when
   * the fixed parts are unusual (then each key is written whole, as for plain parts).
   */
  #text: { head: string; tail: string; headHash: Hash | undefined } | null | undefined;

  constructor(readonly fixed: FixedParts) {}

  /** The node's parts with these inputs (a new object each time: a row keeps its own). */
  withInputs(inputs: CacheParts['inputs']): CacheParts {
    const { code, files, packages, params, outputs, store } = this.fixed;
    // The same key order as the object built in one literal before (code, [files, packages], params, …).
    const parts: CacheParts =
      files === undefined
        ? { code, params, inputs, outputs, store }
        : packages === undefined
          ? { code, files, params, inputs, outputs, store }
          : { code, files, packages, params, inputs, outputs, store };
    fromTemplate.set(parts, this);
    return parts;
  }

  /** The key of this node's parts with these inputs; undefined when they must be written whole. */
  key(inputs: CacheParts['inputs']): string | undefined {
    if (this.#text === undefined) this.#text = this.#write();
    const text = this.#text;
    if (text === null) return undefined;
    const inputsText = canonicalJson(inputs);
    if (text.headHash === undefined) return sha256Hex(text.head + inputsText + text.tail);
    return text.headHash
      .copy()
      .update(inputsText + text.tail)
      .digest('hex');
  }

  /** The canonical text of the fixed parts, split where the inputs go. */
  #write(): { head: string; tail: string; headHash: Hash | undefined } | null {
    const split = this.#direct();
    if (split === undefined) return null;
    const [head, tail] = split;
    // A long code identity is hashed once: each key continues from a copy of that state.
    const headHash = head.length <= ONE_SHOT_MAX ? undefined : createHash('sha256').update(head);
    return { head, tail, headHash };
  }

  /**
   * The text written piece by piece in canonical key order (code, files, inputs, outputs, packages,
   * params, store): in a chain every step is a node of its own, so this runs once per step. Undefined
   * for anything unusual (plainCacheKey then writes each key, or throws its error naming the path).
   */
  #direct(): [string, string] | undefined {
    const { code, files, packages, params, outputs, store } = this.fixed;
    if (typeof code !== 'string' || typeof store !== 'string') return undefined;
    let paramsText: string;
    let outputsText: string;
    try {
      paramsText = canonicalJson(params);
      outputsText = canonicalJson(outputs);
    } catch {
      return undefined;
    }
    const filesText = files === undefined ? '' : `,"files":${canonicalTextOf(files)}`;
    const packagesText = packages === undefined ? '' : `,"packages":${canonicalTextOf(packages)}`;
    return [
      `{"code":${JSON.stringify(code)}${filesText},"inputs":`,
      `,"outputs":${outputsText}${packagesText},"params":${paramsText},"store":${JSON.stringify(store)}}`,
    ];
  }
}

export function sourcePart(fingerprint: SourceFingerprint): SourcePart {
  return {
    uri: fingerprint.uri,
    digest: fingerprint.digest,
    ...(fingerprint.entries ? { entries: fingerprint.entries } : {}),
  };
}

/** Human reasons for a miss, comparing with the parts of the previous run of the same step. */
export function explainMiss(step: string, current: CacheParts, previous: CacheParts | undefined): string {
  if (!previous) return `miss: first run of \`${step}\``;
  const reasons = cacheDiff(step, current, previous, 3);
  return reasons.length > 0
    ? `miss: ${reasons.join('; ')}`
    : 'miss: no reusable result (previous run failed, expired or was not cached)';
}

/**
 * Every difference between two sets of key parts, one phrase per kind of change (the explain command
 * lists them): the files of a step's code in one phrase, its packages in another, a directory
 * source's entries in its own. `limit` caps the names in each phrase (`…, 4 more`), for a miss reason
 * that fits on a line; explain names them all.
 */
export function cacheDiff(
  step: string,
  current: CacheParts,
  previous: CacheParts,
  limit = Number.POSITIVE_INFINITY,
): string[] {
  const reasons: string[] = [];
  const list = (items: readonly string[]) => capped(items, limit);
  if (current.code !== previous.code) reasons.push(...codeReasons(step, current, previous, list));
  for (const name of union(current.params, previous.params)) {
    const a = JSON.stringify(previous.params[name]);
    const b = JSON.stringify(current.params[name]);
    if (a !== b) reasons.push(`parameter \`${name}\` changed (${a ?? 'unset'} -> ${b ?? 'unset'})`);
  }
  for (const name of union(current.inputs, previous.inputs)) {
    if (JSON.stringify(current.inputs[name]) !== JSON.stringify(previous.inputs[name])) {
      reasons.push(`input \`${name}\` content changed`);
    }
  }
  const now = current.sources ?? {};
  const before = previous.sources ?? {};
  for (const name of union(now, before)) {
    const a = before[name];
    const b = now[name];
    if (!a || !b) reasons.push(`source input \`${name}\` ${b ? 'added' : 'removed'}`);
    else if (a.uri !== b.uri) reasons.push(`source \`${name}\` now reads ${b.uri} (was ${a.uri})`);
    else if (a.digest !== b.digest) reasons.push(sourceReason(a, b, list));
  }
  if (JSON.stringify(current.outputs) !== JSON.stringify(previous.outputs))
    reasons.push('outputs or their materializers changed');
  if (current.store !== previous.store) reasons.push('artifact store changed');
  return reasons;
}

function codeReasons(
  step: string,
  current: CacheParts,
  previous: CacheParts,
  list: (items: readonly string[]) => string,
): string[] {
  const now = versionOf(current.code);
  const before = versionOf(previous.code);
  if (now !== undefined && before !== undefined)
    return [`version of \`${step}\` changed (${before} -> ${now})`];
  if (now !== undefined) return [`\`${step}\` now has an explicit version (${now})`];
  if (before !== undefined) return [`\`${step}\` no longer has an explicit version (was ${before})`];
  if (!current.files || !previous.files) return [`code of \`${step}\` changed`];
  const reasons: string[] = [];
  const files = union(current.files, previous.files);
  // One phrase for all the files (a refactor touching ten modules is one cause, not ten lines).
  const edited = files
    .filter((f) => current.files![f] !== previous.files![f])
    .map((file) => {
      const what = !previous.files![file]
        ? 'now imported'
        : !current.files![file]
          ? 'no longer imported'
          : 'edited';
      return `${file} ${what}`;
    });
  if (edited.length > 0) reasons.push(`code of \`${step}\` changed: ${list(edited)}`);
  const packagesNow = current.packages ?? {};
  const packagesBefore = previous.packages ?? {};
  const bumped = union(packagesNow, packagesBefore).filter(
    (name) => packagesNow[name] !== packagesBefore[name],
  );
  const versions = (name: string) =>
    `(${packagesBefore[name] ?? 'not imported'} -> ${packagesNow[name] ?? 'not imported'})`;
  if (bumped.length === 1) reasons.push(`package ${bumped[0]} changed ${versions(bumped[0]!)}`);
  else if (bumped.length > 1)
    reasons.push(`packages changed: ${list(bumped.map((name) => `${name} ${versions(name)}`))}`);
  // Same files and packages: the step's own run or declared interface was edited.
  return reasons.length > 0 ? reasons : [`code of \`${step}\` changed (its run or declared inputs/outputs)`];
}

/** `source data/train.csv changed (sha256 1a2b3c4d… -> 3c4d5e6f…)`, naming added/removed/edited entries of a directory. */
function sourceReason(a: SourcePart, b: SourcePart, list: (items: readonly string[]) => string): string {
  const detail: string[] = [];
  if (a.entries && b.entries) {
    for (const name of union(a.entries, b.entries)) {
      if (!a.entries[name]) detail.push(`${name} added`);
      else if (!b.entries[name]) detail.push(`${name} removed`);
      else if (a.entries[name] !== b.entries[name]) detail.push(`${name} changed`);
    }
  }
  return `source ${b.uri} changed (${shortDigest(a.digest)} -> ${shortDigest(b.digest, false)})${
    detail.length > 0 ? `: ${list(detail)}` : ''
  }`;
}

/** `a, b, c` or, past `limit`, `a, b, c, 4 more` (the whole list is in `strata cache explain`). */
function capped(items: readonly string[], limit: number): string {
  const shown = items.length > limit ? [...items.slice(0, limit), `${items.length - limit} more`] : items;
  return shown.join(', ');
}

/** `sha256:1a2b3c4d5e…` -> `sha256 1a2b3c4d…`; other digests (etags, versions) shortened alike. */
export function shortDigest(digest: string, withKind = true): string {
  const colon = digest.indexOf(':');
  const kind = colon < 0 ? '' : digest.slice(0, colon);
  const value = colon < 0 ? digest : digest.slice(colon + 1).replace(/^"|"$/g, '');
  const short = value.length > 12 ? `${value.slice(0, 8)}…` : value;
  return withKind && kind ? `${kind} ${short}` : short;
}

function versionOf(code: string): string | undefined {
  return code.startsWith('version:') ? code.slice(8) : undefined;
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
