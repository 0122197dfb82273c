import type { ArtifactType, ValueOf } from '../artifact-type/artifact-type.js';

const refBrand = Symbol.for('strata.output-ref');
const nodeBrand = Symbol.for('strata.node-id');

/** A reference to a step output inside a pipeline body: wiring, not a value. */
export interface OutputRef<T = unknown> {
  readonly [refBrand]: true;
  readonly node: string;
  readonly output: string;
  readonly type: ArtifactType<T>;
  /** True for the outputs of a mapped step: the value downstream is the array of every instance's output. */
  readonly collected: boolean;
}

/** What calling a step returns: one reference per output, plus a hidden handle on the node itself. */
export type RefsOf<O> = { [K in keyof O]: OutputRef<ValueOf<O[K]>> };

export function outputRef<T>(
  node: string,
  output: string,
  type: ArtifactType<T>,
  collected: boolean,
): OutputRef<T> {
  return { [refBrand]: true, node, output, type, collected };
}

export function isOutputRef(value: unknown): value is OutputRef {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[refBrand] === true;
}

/** Attaches the node id to a step call's result, so `after: [result]` works for steps without outputs. */
export function tagNode<T extends object>(refs: T, node: string): T {
  Object.defineProperty(refs, nodeBrand, { value: node, enumerable: false });
  return refs;
}

export function nodeOf(value: unknown): string | undefined {
  if (isOutputRef(value)) return value.node;
  if (typeof value === 'object' && value !== null) return (value as Record<symbol, string>)[nodeBrand];
  return undefined;
}
