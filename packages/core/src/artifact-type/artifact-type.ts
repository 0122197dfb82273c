/**
 * The declared type of a step input or output. `kind` picks the default materializer and is what the
 * compiler compares when an output is wired into an input; `T` only exists for TypeScript so that
 * wiring mistakes are also caught by the type checker.
 */
export interface ArtifactType<T = unknown> {
  readonly kind: ArtifactKind;
  /** Overrides the materializer chosen by kind (an id from the materializer registry). */
  readonly materializer?: string;
  /**
   * Optional validator for the value (e.g. the zod schema of `t.json(schema)`), checked before the output
   * is stored. Non-enumerable: it is code, not part of the declared interface that is hashed or compiled.
   */
  readonly schema?: ValueSchema<T>;
  /** Phantom field carrying the value type; never set at run time. */
  readonly __value?: T;
}

/** The part of a zod schema an output check needs (any `safeParse`-shaped validator works). */
export interface ValueSchema<T = unknown> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export type ArtifactKind =
  | 'any'
  | 'json'
  | 'string'
  | 'number'
  | 'boolean'
  | 'bytes'
  | 'typed-array'
  | 'table'
  | 'file'
  | 'directory'
  | 'source'
  | `custom:${string}`;

/** A value handed to a `file` output: a path on local disk that Strata streams into the store. */
export interface FileRef {
  readonly path: string;
}

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

function of<T>(kind: ArtifactKind, materializer?: string): ArtifactType<T> {
  return materializer === undefined ? { kind } : { kind, materializer };
}

function isSchema(value: unknown): value is ValueSchema {
  return (
    typeof value === 'object' && value !== null && typeof (value as ValueSchema).safeParse === 'function'
  );
}

function json<T>(arg?: string | ValueSchema<T>): ArtifactType<T> {
  if (!isSchema(arg)) return of<T>('json', arg);
  return Object.defineProperty(of<T>('json'), 'schema', { value: arg, enumerable: false });
}

/** Artifact type constructors: `outputs: { model: t.json<Model>(), data: t.table() }`. */
export const t = {
  any: <T = unknown>(materializer?: string) => of<T>('any', materializer),
  /**
   * A JSON value. Given a zod schema (`t.json(z.object({ accuracy: z.number() }))`), the value type is
   * the schema's output and every value is validated against it before it is stored.
   */
  json: json as {
    <T = unknown>(materializer?: string): ArtifactType<T>;
    <T>(schema: ValueSchema<T>): ArtifactType<T>;
  },
  string: (materializer?: string) => of<string>('string', materializer),
  number: (materializer?: string) => of<number>('number', materializer),
  boolean: (materializer?: string) => of<boolean>('boolean', materializer),
  bytes: (materializer?: string) => of<Uint8Array>('bytes', materializer),
  typedArray: <T extends TypedArray = Float64Array>(materializer?: string) =>
    of<T>('typed-array', materializer),
  /** An Apache Arrow table, stored as Arrow IPC. */
  // Overloaded: a plain `t.table()` must not be generic, or its type parameter would be inferred from
  // the step's contextual input type (unknown) instead of defaulting to Table.
  table: ((materializer?: string) => of('table', materializer)) as {
    (materializer?: string): ArtifactType<import('apache-arrow').Table>;
    <T>(materializer?: string): ArtifactType<T>;
  },
  file: (materializer?: string) => of<FileRef>('file', materializer),
  directory: (materializer?: string) => of<FileRef>('directory', materializer),
  /**
   * External data declared with `source(...)`: the step receives a SourceValue (uri, local path,
   * the fingerprint the cache key used). Only a source can be wired into it.
   */
  source: () => of<import('../source/source-value.js').SourceValue>('source'),
  /** A type with its own materializer, e.g. `t.custom<MyModel>('acme.my-model')`. */
  custom: <T>(materializer: string) => of<T>(`custom:${materializer}`, materializer),
} as const;

export type ValueOf<A> = A extends ArtifactType<infer T> ? T : never;

/** Whether an output of kind `from` may feed an input of kind `to`. */
export function kindsCompatible(from: ArtifactKind, to: ArtifactKind): boolean {
  if (from === to || to === 'any' || from === 'any') return true;
  // Strings, numbers and booleans are JSON values; a json input accepts them.
  return to === 'json' && (from === 'string' || from === 'number' || from === 'boolean');
}
