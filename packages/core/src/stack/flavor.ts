import type { z } from 'zod';
import type { StrataDatabase } from '../metadata/strata-database.js';

/** Component types a stack can hold. Plugins may add their own (e.g. 'experiment_tracker'). */
export type ComponentType =
  | 'orchestrator'
  | 'artifact_store'
  | 'model_registry'
  | 'deployer'
  | 'experiment_tracker'
  | (string & {});

export const requiredComponentTypes: readonly ComponentType[] = ['orchestrator', 'artifact_store'];

export interface FlavorContext {
  readonly projectRoot: string;
  readonly componentName: string;
  readonly database: StrataDatabase;
  /**
   * Another component of the same stack by type, built on first use (undefined when the stack has
   * none): e.g. a remote model registry checks in the stack's artifact store that a version's bytes
   * exist before it points an alias at it.
   */
  readonly component?: <T = unknown>(type: string) => Promise<T | undefined>;
}

export type FlavorFactory<C, T> = (config: C, context: FlavorContext) => T | Promise<T>;

/** What a stack validator sees: each component's flavor and parsed config. */
export interface StackDraft {
  readonly name: string;
  readonly components: Readonly<Record<string, { readonly flavor: AnyFlavor; readonly config: unknown }>>;
  readonly database: { readonly url: string; readonly shared: boolean };
}

/**
 * A flavor: a component type, a name, a config schema and a lazy factory. `load` imports the
 * implementation (and its SDK) only when a stack actually uses the flavor, so listing and validating
 * never pay for the AWS, GCS, Azure, Docker or Temporal SDKs.
 */
export interface Flavor<C = unknown, T = unknown> {
  readonly type: ComponentType;
  readonly name: string;
  readonly description: string;
  readonly config: z.ZodType<C>;
  load(): Promise<FlavorFactory<C, T>>;
  /** Composition rules, e.g. "containers cannot reach a local artifact store on another host". */
  validateStack?(stack: StackDraft): readonly string[];
}

/** A flavor of any config and component type, as held in lists and containers. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list needs the config type erased both ways.
export type AnyFlavor = Flavor<any, any>;

export function defineFlavor<C, T>(flavor: Flavor<C, T>): Flavor<C, T> {
  return flavor;
}

/** Marks a config field as secret: never printed, never stored in run metadata; use `{{secret.NAME.KEY}}`. */
export function secret<S extends z.ZodType>(schema: S): S {
  return schema.meta({ secret: true }) as S;
}

export function isSecretField(schema: z.ZodType): boolean {
  const meta = schema.meta?.() as { secret?: boolean } | undefined;
  if (meta?.secret) return true;
  const inner = (schema as unknown as { unwrap?: () => z.ZodType }).unwrap?.();
  return inner ? isSecretField(inner) : false;
}
