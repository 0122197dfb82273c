/**
 * A zod output type with `undefined` taken out of every optional property. Zod types an optional key as
 * `key?: T | undefined`, which `exactOptionalPropertyTypes` does not accept where `key?: T` is declared.
 * Values parsed from JSON never hold `undefined` (JSON has no such value: an optional key is absent or
 * holds a value), so a parsed JSON document is its schema's `Defined` output.
 */
export type Defined<T> = T extends readonly (infer E)[]
  ? Defined<E>[]
  : T extends object
    ? { [K in keyof T]: Defined<Exclude<T[K], undefined>> }
    : T;

/** The one place the rule above is applied: `value` must come from parsing JSON text. */
export function definedFromJson<T>(value: T): Defined<T> {
  return value as Defined<T>;
}

/**
 * A zod input type with read-only arrays and properties and without the `[key: string]: unknown` of a
 * loose object (which accepts any extra key anyway): what a declared (readonly) interface must fit.
 */
export type Accepting<T> = T extends readonly (infer E)[]
  ? readonly Accepting<E>[]
  : T extends object
    ? {
        readonly [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Accepting<T[K]>;
      }
    : T;
