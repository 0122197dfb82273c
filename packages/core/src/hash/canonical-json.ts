import crypto, { createHash, randomUUID } from 'node:crypto';

export interface CanonicalJsonOptions {
  /**
   * `error` (default, for hashes of parameters and configs, where NaN silently becoming null would
   * collide with a real null) or `null` (JSON.stringify's behaviour, for stored values such as
   * third-party model dumps that contain -Infinity).
   */
  readonly nonFinite?: 'error' | 'null';
}

/**
 * JSON with sorted object keys and no whitespace, so equal values always hash equally. Undefined
 * properties are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  const nonFiniteAsNull = options.nonFinite === 'null';
  try {
    return write(value, nonFiniteAsNull, undefined);
  } catch (error) {
    if (error !== UNUSUAL) throw error;
    return canonicalJsonReference(value, options);
  }
}

/** The reference: normalize, then JSON.stringify (what `write` must match; canonical-json.spec compares). */
export function canonicalJsonReference(value: unknown, options: CanonicalJsonOptions = {}): string {
  return JSON.stringify(normalize(value, '$', options.nonFinite === 'null'));
}

/** Objects whose canonical text is kept (canonicalTextOf): each is written once, then spliced in. */
interface Sharing {
  readonly isShared: (value: object) => boolean;
  readonly found: object[];
}

/** A stand-in no real value contains (a per-process random id), followed by the shared object's index. */
const SHARED_STAND_IN = `\u0000shared ${randomUUID()} `;
const SHARED_JSON = new RegExp(
  `${JSON.stringify(SHARED_STAND_IN).slice(0, -1).replace(/\\/g, '\\\\')}(\\d+)"`,
  'g',
);

const texts = new WeakMap<object, string>();

/** canonicalJson(value), computed once per object: for values that are never changed once made. */
export function canonicalTextOf(value: object): string {
  let text = texts.get(value);
  if (text === undefined) {
    text = canonicalJson(value);
    texts.set(value, text);
  }
  return text;
}

/**
 * canonicalJson(value), byte for byte, for a value that holds the same big objects many times (a
 * pipeline snapshot: every node of a step carries its code identity, kilobytes each): the objects
 * `isShared` accepts are normalized once per object (canonicalTextOf) and their text spliced in.
 */
export function canonicalJsonSharing(value: unknown, isShared: (value: object) => boolean): string {
  try {
    return write(value, false, isShared);
  } catch (error) {
    if (error !== UNUSUAL) throw error;
  }
  const sharing: Sharing = { isShared, found: [] };
  const text = JSON.stringify(normalize(value, '$', false, sharing));
  if (sharing.found.length === 0) return text;
  return text.replace(SHARED_JSON, (_, index: string) => canonicalTextOf(sharing.found[Number(index)]!));
}

/**
 * Thrown by `write` where its output could differ from the reference (normalize, then JSON.stringify):
 * the caller then takes that path, which also builds the error message (with the value's path).
 */
const UNUSUAL = Symbol('unusual value');

/** Keys V8 orders first, numerically, in any object (array indices): JSON.stringify writes them so. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

/**
 * canonicalJson written directly, without building the normalized copy first (most values are small:
 * a step's parameters, outputs and cache key parts, for every step). Byte for byte the reference's
 * text (canonical-json.spec compares them); anything it does not handle the same way throws UNUSUAL:
 * a number with no JSON form (the reference's error names its path), `undefined` where a value must be,
 * and object keys whose order or meaning differ in a plain object (array indices, `__proto__`).
 */
function write(
  value: unknown,
  nonFiniteAsNull: boolean,
  isShared: ((value: object) => boolean) | undefined,
): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (Number.isFinite(value)) return JSON.stringify(value);
      if (nonFiniteAsNull) return 'null';
      throw UNUSUAL;
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object':
      break;
    case 'undefined':
      throw UNUSUAL;
    default:
      // Functions and symbols in an array are null, as in the reference.
      return 'null';
  }
  if (value === null) return 'null';
  if (isShared?.(value)) return canonicalTextOf(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      const item: unknown = value[i];
      text += item === undefined ? 'null' : write(item, nonFiniteAsNull, isShared);
    }
    return `${text}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw UNUSUAL;
  const keys = Object.keys(value).sort();
  let text = '{';
  for (const key of keys) {
    if (key === '__proto__' || INDEX_KEY.test(key)) throw UNUSUAL;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function') continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(key)}:${write(item, nonFiniteAsNull, isShared)}`;
  }
  return `${text}}`;
}

function normalize(value: unknown, path: string, nonFiniteAsNull: boolean, sharing?: Sharing): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    if (nonFiniteAsNull) return null;
    throw new TypeError(`${path} is ${value}, which has no canonical JSON form`);
  }
  if (typeof value === 'bigint') return value.toString();
  if (sharing !== undefined && typeof value === 'object' && sharing.isShared(value)) {
    sharing.found.push(value);
    return `${SHARED_STAND_IN}${sharing.found.length - 1}`;
  }
  if (Array.isArray(value))
    return value.map((item, i) =>
      normalize(item === undefined ? null : item, `${path}[${i}]`, nonFiniteAsNull, sharing),
    );
  if (value instanceof Date) return value.toISOString();
  // Honour toJSON() as JSON.stringify does (class instances such as matrices serialize themselves).
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return normalize((value as { toJSON: () => unknown }).toJSON(), path, nonFiniteAsNull, sharing);
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined && typeof item !== 'function')
        out[key] = normalize(item, `${path}.${key}`, nonFiniteAsNull, sharing);
    }
    return out;
  }
  return null;
}

/**
 * Node's one-shot hash (20.12 and later) is about three times cheaper than a Hash object for the small
 * values hashed per step; older Node 20 releases (the engines range starts at 20.10) use the object.
 */
const oneShot = (
  crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }
).hash;

export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
