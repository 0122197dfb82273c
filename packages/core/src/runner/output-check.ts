import { statSync } from 'node:fs';
import type { ArtifactType } from '../artifact-type/artifact-type.js';
import { StrataError } from '../errors/strata-error.js';
import { isArrowTable } from '../materializers/arrow.js';

/**
 * Checks a step's returned outputs against their declared types before anything is stored, so a
 * string never becomes a `number` artifact and NaN never silently becomes `null`. Every check looks at
 * the value in place (a JSON walk, a `stat`, a few properties): nothing is copied or serialized.
 */
export function checkOutputs(
  nodeId: string,
  declared: Readonly<Record<string, ArtifactType>>,
  result: unknown,
): Record<string, unknown> {
  const names = Object.keys(declared);
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    if (names.length === 0 && (result === undefined || result === null)) return {};
    throw outputError(nodeId, undefined, `an object with outputs ${list(names)}`, result, {
      fix: `return { ${names.map((n) => `${n}: …`).join(', ')} } from run()`,
    });
  }
  const values = result as Record<string, unknown>;
  for (const name of Object.keys(values)) {
    if (!(name in declared) && values[name] !== undefined) {
      throw new StrataError(`step "${nodeId}" returned output "${name}", which it does not declare`, {
        code: 'output_undeclared',
        field: `outputs.${name}`,
        value: name,
        fix: `declare it in the step's outputs (declared: ${list(names)}) or stop returning it`,
      });
    }
  }
  for (const [name, type] of Object.entries(declared)) {
    const value = values[name];
    if (value === undefined) {
      throw new StrataError(`step "${nodeId}" returned no value for output "${name}"`, {
        code: 'output_missing',
        field: `outputs.${name}`,
        value: undefined,
        fix: `return a ${type.kind} value for "${name}" from run()`,
      });
    }
    checkValue(nodeId, name, type, value);
  }
  return values;
}

/** The error for an output that is not the declared kind (a function, not a closure made per check). */
function wrongKind(
  nodeId: string,
  name: string,
  value: unknown,
  expected: string,
  fix?: string,
): StrataError {
  return outputError(nodeId, name, expected, value, fix === undefined ? {} : { fix });
}

function checkValue(nodeId: string, name: string, type: ArtifactType, value: unknown): void {
  switch (type.kind) {
    case 'number':
      if (typeof value === 'bigint')
        throw wrongKind(nodeId, name, value, 'a number', 'convert with Number(value), or declare t.string()');
      if (typeof value !== 'number') throw wrongKind(nodeId, name, value, 'a number');
      if (!Number.isFinite(value))
        throw wrongKind(nodeId, name, value, 'a finite number', 'NaN and ±Infinity cannot be stored as JSON');
      return;
    case 'string':
      if (typeof value !== 'string') throw wrongKind(nodeId, name, value, 'a string');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongKind(nodeId, name, value, 'a boolean');
      return;
    case 'json': {
      const problem = jsonProblem(value, '');
      if (problem) {
        const at = problem.path ? ` at ${problem.path}` : '';
        throw new StrataError(
          `step "${nodeId}" output "${name}": not storable as JSON${at}: ${problem.message}`,
          {
            code: 'output_type',
            field: `outputs.${name}${problem.path ? `.${problem.path}` : ''}`,
            value: describe(value),
            fix: 'convert the value to plain JSON before returning it, or declare a type that fits it',
          },
        );
      }
      break;
    }
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw wrongKind(nodeId, name, value, 'a Uint8Array or Buffer');
      return;
    case 'typed-array':
      if (!ArrayBuffer.isView(value) || value instanceof DataView)
        throw wrongKind(nodeId, name, value, 'a typed array (e.g. Float64Array)');
      return;
    case 'table':
      if (!isArrowTable(value)) {
        throw wrongKind(
          nodeId,
          name,
          value,
          'an Apache Arrow Table',
          'build one with tableFromArrays() or tableFromJSON() from apache-arrow, or declare t.json()',
        );
      }
      return;
    case 'file':
    case 'directory':
      checkPath(nodeId, name, type.kind, value);
      return;
    default:
      break;
  }
  if (type.schema) {
    const parsed = type.schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue && issue.path.length > 0 ? `at ${issue.path.map(String).join('.')}: ` : '';
      throw outputError(nodeId, name, 'a value matching its schema', value, {
        fix: `${at}${issue?.message ?? 'invalid'}`,
      });
    }
  }
}

function checkPath(nodeId: string, name: string, kind: 'file' | 'directory', value: unknown): void {
  const path = (value as { path?: unknown } | null)?.path;
  if (typeof value !== 'object' || value === null || typeof path !== 'string') {
    throw outputError(nodeId, name, `a ${kind} reference { path: string }`, value, {
      fix: `return { ${name}: { path: '/absolute/path' } }`,
    });
  }
  const info = statSync(path, { throwIfNoEntry: false });
  const ok = kind === 'file' ? info?.isFile() : info?.isDirectory();
  if (!ok) {
    throw new StrataError(
      `step "${nodeId}" output "${name}": expected a ${kind}, but ${path} ${info ? `is not a ${kind}` : 'does not exist'}`,
      {
        code: 'output_type',
        field: `outputs.${name}`,
        value: path,
        fix: `write the ${kind} before returning its path`,
      },
    );
  }
}

interface JsonProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The first thing JSON would silently turn into something else: a bigint (a string), a Map or Set
 * (`{}`), a typed array (an object of indices), a circular reference; and at the top level NaN, ±Infinity,
 * functions and symbols. Nested non-finite numbers become null as JSON.stringify makes them (models
 * such as ml-random-forest's carry `maxDepth: Infinity`); declare `t.number()` where a number must be finite.
 */
function jsonProblem(value: unknown, path: string, seen = new Set<object>()): JsonProblem | undefined {
  const top = path === '';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) || !top
        ? undefined
        : { path, message: `${value} is not valid JSON (it would become null)` };
    case 'bigint':
      return {
        path,
        message: 'a bigint is not JSON (it would become a string); convert with Number() or String()',
      };
    case 'undefined':
    case 'function':
    case 'symbol':
      return top ? { path, message: `a ${typeof value} is not JSON` } : undefined;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (seen.has(object)) return { path, message: 'a circular reference is not JSON' };
  if (object instanceof Map || object instanceof Set) {
    return {
      path,
      message: `a ${object.constructor.name} would be stored as {}; convert it to an array or object`,
    };
  }
  if (ArrayBuffer.isView(object)) {
    return {
      path,
      message: 'a typed array is stored as an object of indices; declare t.typedArray() or use Array.from()',
    };
  }
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const found = jsonProblem(object[i], `${path}[${i}]`, seen);
        if (found) return found;
      }
      return undefined;
    }
    for (const [key, item] of Object.entries(object)) {
      const found = jsonProblem(item, top ? key : `${path}.${key}`, seen);
      if (found) return found;
    }
    return undefined;
  } finally {
    seen.delete(object);
  }
}

function outputError(
  nodeId: string,
  name: string | undefined,
  expected: string,
  received: unknown,
  extra: { fix?: string },
): StrataError {
  const where = name === undefined ? `step "${nodeId}"` : `step "${nodeId}" output "${name}"`;
  return new StrataError(`${where}: expected ${expected}, received ${describe(received)}`, {
    code: 'output_type',
    field: name === undefined ? 'outputs' : `outputs.${name}`,
    value: describe(received),
    fix: extra.fix ?? `return ${expected} for "${name ?? 'outputs'}", or change the declared output type`,
  });
}

/** A short description of a value for an error message, without printing large values. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `the number ${value}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'object': {
      const name = (value as object).constructor?.name;
      return name && name !== 'Object' ? `a ${name}` : 'an object';
    }
    default:
      return `a ${typeof value}`;
  }
}

function list(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : 'none';
}
