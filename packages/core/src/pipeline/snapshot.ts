import type { ArtifactKind } from '../artifact-type/artifact-type.js';
import type { SourceSpec } from '../source/source-spec.js';
import type { CachePolicy, RetryPolicy, StepSettings } from '../step/step-options.js';

export interface InputBinding {
  readonly node: string;
  readonly output: string;
  /** The upstream node is mapped: this input receives the array of all its instances' outputs. */
  readonly collect: boolean;
}

export interface OutputSpec {
  readonly kind: ArtifactKind;
  /** Absent for `any` outputs, whose materializer is chosen from the value at run time. */
  readonly materializer?: string;
}

export interface SnapshotNode {
  readonly id: string;
  readonly step: string;
  readonly codeHash: string;
  /** The files and package versions behind codeHash (step/module-identity.ts), for miss reasons and explain. */
  readonly code?: {
    readonly files: Readonly<Record<string, string>>;
    readonly packages: Readonly<Record<string, string>>;
  };
  readonly version?: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, InputBinding>>;
  /** Inputs fed by external data (`source(...)`): fingerprinted before the step runs. */
  readonly sources?: Readonly<Record<string, SourceSpec>>;
  readonly outputs: Readonly<Record<string, OutputSpec>>;
  /** Explicit ordering: nodes that must finish first without passing data. */
  readonly after: readonly string[];
  readonly map?: { readonly over: string; readonly concurrency?: number };
  readonly condition?: { readonly node: string; readonly output: string; readonly predicate: string };
  readonly cache: Required<Pick<CachePolicy, 'enabled'>> & Pick<CachePolicy, 'ttlSeconds' | 'strict'>;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  readonly settings?: StepSettings;
}

/** A run config's change to one node: params merge over the call's, settings merge deeply, cache replaces. */
export interface StepOverride {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly settings?: StepSettings;
  readonly cache?: boolean | CachePolicy;
}

/** Node id -> override. Recorded in the snapshot so every process recompiles the same graph. */
export type StepOverrides = Readonly<Record<string, StepOverride>>;

/**
 * The immutable, hashed description of one pipeline with concrete parameters. It is all a remote
 * process needs (with the defining module) to run any of its steps.
 */
export interface Snapshot {
  /** sha256 of the canonical JSON of every other field. */
  readonly id: string;
  readonly pipeline: string;
  /** The defining module, relative to the project root when inside it (so other machines can resolve it). */
  readonly module: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly runName?: string;
  /** Present only when a run config overrode steps (absent keeps older snapshot ids stable). */
  readonly overrides?: StepOverrides;
  /** In topological order. */
  readonly nodes: readonly SnapshotNode[];
  readonly strataVersion: string;
}

const dependencies = new WeakMap<SnapshotNode, readonly string[]>();

/** The nodes that must succeed before `node` runs (inputs, `after`, condition source); memoized per node. */
export function dependenciesOf(node: SnapshotNode): readonly string[] {
  let deps = dependencies.get(node);
  if (!deps) {
    const set = new Set<string>(node.after);
    for (const input of Object.values(node.inputs)) set.add(input.node);
    if (node.condition) set.add(node.condition.node);
    deps = Object.freeze([...set]);
    dependencies.set(node, deps);
  }
  return deps;
}
