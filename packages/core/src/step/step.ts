import type { z } from 'zod';
import type { ArtifactType, ValueOf } from '../artifact-type/artifact-type.js';
import { recordStepCall, type StepCallOptions } from '../pipeline/compile-scope.js';
import type { OutputRef, RefsOf } from '../pipeline/output-ref.js';
import type { Source } from '../source/source.js';
import { codeHashOf } from './code-hash.js';
import type { CodeIdentity } from './module-identity.js';
import type { StepContext } from './step-context.js';
import type { CachePolicy, RetryPolicy, StepSettings } from './step-options.js';

export type ArtifactTypes = Readonly<Record<string, ArtifactType>>;
export type ParamsSchema = z.ZodType<Record<string, unknown>>;
export type ValuesOf<T extends ArtifactTypes> = { [K in keyof T]: ValueOf<T[K]> };

export interface StepHooks {
  onSuccess?(context: StepContext): void | Promise<void>;
  onFailure?(error: unknown, context: StepContext): void | Promise<void>;
}

export interface StepSpec<I extends ArtifactTypes, O extends ArtifactTypes, P extends ParamsSchema>
  extends StepHooks {
  readonly name: string;
  readonly inputs?: I;
  readonly outputs: O;
  readonly params?: P;
  readonly run: (
    inputs: ValuesOf<I>,
    params: z.output<P>,
    context: StepContext,
  ) => Promise<ValuesOf<O>> | ValuesOf<O>;
  /** Replaces the code hash in the cache key: bump it to invalidate, keep it to survive refactors. */
  readonly version?: string;
  readonly cache?: boolean | CachePolicy;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  readonly settings?: StepSettings;
}

/**
 * Inputs of a call: upstream outputs wired by name, or a `source(...)` (for t.source(), and for
 * t.file() / t.directory() when the data is local; the compiler checks which fits).
 */
export type StepCallInputs<I extends ArtifactTypes> = { [K in keyof I]: OutputRef<ValueOf<I[K]>> | Source };

export interface StepDefinition<
  I extends ArtifactTypes = ArtifactTypes,
  O extends ArtifactTypes = ArtifactTypes,
  P extends ParamsSchema = ParamsSchema,
> {
  /** Inside a pipeline body: records a node and returns references to its outputs. */
  (inputs?: StepCallInputs<I>, options?: StepCallOptions<z.input<P>>): RefsOf<O>;
  readonly kind: 'strata.step';
  readonly spec: StepSpec<I, O, P>;
  /** sha256 of the step's source, the default code part of its cache key. */
  readonly codeHash: string;
  /** The module graph and package versions behind `codeHash` (absent when the source cannot be read). */
  readonly code: CodeIdentity | undefined;
  /**
   * Fan-out: one instance per element of the list wired to input `over`. Returns the collected
   * outputs (arrays in element order) for a downstream fan-in.
   */
  map<K extends keyof I & string>(
    over: K,
    inputs: { [J in keyof I]: J extends K ? OutputRef<ValueOf<I[J]>[]> : OutputRef<ValueOf<I[J]>> },
    options?: StepCallOptions<z.input<P>> & { concurrency?: number },
  ): { [J in keyof O]: OutputRef<ValueOf<O[J]>[]> };
}

/**
 * Declares a typed step. Its code hash covers the run function's source and the declared interface,
 * so editing the body or changing an output's type invalidates the cache.
 */
export function step<
  I extends ArtifactTypes = Record<never, ArtifactType>,
  O extends ArtifactTypes = Record<never, ArtifactType>,
  P extends ParamsSchema = z.ZodObject<{}>,
>(spec: StepSpec<I, O, P>): StepDefinition<I, O, P> {
  const code = codeHashOf({ run: spec.run, inputs: spec.inputs ?? {}, outputs: spec.outputs });
  const definition = ((inputs?: StepCallInputs<I>, options?: StepCallOptions<z.input<P>>) =>
    recordStepCall(definition as unknown as StepDefinition, inputs ?? {}, options ?? {})) as StepDefinition<
    I,
    O,
    P
  >;
  Object.defineProperties(definition, {
    kind: { value: 'strata.step' },
    spec: { value: spec },
    codeHash: { value: code.hash },
    code: { value: code.identity },
    name: { value: spec.name },
  });
  (definition as { map: unknown }).map = (over: string, inputs: Record<string, OutputRef>, options = {}) =>
    recordStepCall(definition as unknown as StepDefinition, inputs, { ...options, mapOver: over });
  return definition;
}

export function isStep(value: unknown): value is StepDefinition {
  return typeof value === 'function' && (value as { kind?: string }).kind === 'strata.step';
}
