import type { z } from 'zod';
import { parseOrThrow } from '../errors/parse-or-throw.js';
import { CompileError, StrataError } from '../errors/strata-error.js';
import { canonicalJsonSharing, sha256Hex } from '../hash/canonical-json.js';
import { rejectUnknownParams } from '../params/unknown-param.js';
import type { RunHandle } from '../runner/run-handle.js';
import type { RunOptions } from '../runner/run-pipeline.js';
import type { StepDefinition } from '../step/step.js';
import { STRATA_VERSION } from '../version.js';
import { CompileScope, type Predicate, withScope } from './compile-scope.js';
import { definingModule } from './defining-module.js';
import type { Snapshot, StepOverrides } from './snapshot.js';
import { validateGraph } from './validate-graph.js';

export type PipelineParams = z.ZodType<Record<string, unknown>>;

export interface PipelineSpec<P extends PipelineParams> {
  readonly name: string;
  readonly params?: P;
  /**
   * Run name template; placeholders: {pipeline}, {date} (YYYY-MM-DD), {time} (HH-MM-SS), {id}
   * (short run id) and {params.NAME}. Default: "{pipeline}-{date}-{time}-{id}".
   */
  readonly runName?: string;
  /** Wires steps. Runs at compile time with the concrete parameters; must be synchronous. */
  readonly body: (params: z.output<P>) => void;
}

/** A snapshot together with the live code needed to execute it in this process. */
export interface CompiledPipeline {
  readonly snapshot: Snapshot;
  readonly steps: ReadonlyMap<string, StepDefinition>;
  readonly predicates: ReadonlyMap<string, Predicate>;
}

export interface CompileOptions {
  readonly projectRoot?: string;
  /** Per-node params/settings/cache from a run config; an unknown node id is a CompileError. */
  readonly overrides?: StepOverrides;
}

export interface PipelineDefinition<P extends PipelineParams = PipelineParams> {
  readonly kind: 'strata.pipeline';
  readonly name: string;
  readonly spec: PipelineSpec<P>;
  /** Absolute path of the module that called pipeline(); workers import it to find the steps. */
  readonly modulePath: string;
  compile(params?: z.input<P>, options?: CompileOptions): CompiledPipeline;
  /** Compiles with `params` and submits to the given (or the project's active) stack. */
  run(options?: Omit<RunOptions, 'params'> & { params?: z.input<P> }): Promise<RunHandle>;
}

export function pipeline<P extends PipelineParams = z.ZodObject<{}>>(
  spec: PipelineSpec<P>,
): PipelineDefinition<P> {
  const modulePath = definingModule();
  return {
    kind: 'strata.pipeline',
    name: spec.name,
    spec,
    modulePath,
    compile(params, options) {
      return compilePipeline(
        spec,
        modulePath,
        (params ?? {}) as Record<string, unknown>,
        options?.projectRoot,
        options?.overrides,
      );
    },
    async run(options = {}) {
      const { runPipeline } = await import('../runner/run-pipeline.js');
      return runPipeline(this as unknown as PipelineDefinition, options as RunOptions);
    },
  };
}

export function isPipeline(value: unknown): value is PipelineDefinition {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: string }).kind === 'strata.pipeline'
  );
}

function compilePipeline<P extends PipelineParams>(
  spec: PipelineSpec<P>,
  modulePath: string,
  rawParams: Record<string, unknown>,
  projectRoot: string | undefined,
  overrides: StepOverrides = {},
): CompiledPipeline {
  const params = parsePipelineParams(spec, rawParams);
  const scope = new CompileScope(spec.name, overrides);
  try {
    withScope(scope, () => spec.body(params as z.output<P>));
  } catch (error) {
    // Strata's own compile errors (a bad step call) pass through; anything else is the user's body
    // failing, reported as such (exit 2 with the pipeline named), not as a bug in Strata.
    if (error instanceof StrataError) throw error;
    const message = error instanceof Error ? error.message : `a non-Error value: ${String(error)}`;
    throw new CompileError(`the body of pipeline "${spec.name}" threw: ${message}`, {
      code: 'pipeline_body_failed',
      field: 'body',
      value: spec.name,
      fix: 'fix the pipeline body (it runs once at compile time to record the steps); run with --debug for the stack trace',
      cause: error,
    });
  }
  if (scope.nodes.length === 0) {
    throw new CompileError(`pipeline "${spec.name}" has no steps`, {
      field: 'body',
      value: spec.name,
      fix: 'call at least one step inside the pipeline body',
    });
  }
  const nodes = validateGraph(spec.name, scope.nodes);
  const unknown = Object.keys(overrides).find((id) => !scope.steps.has(id));
  if (unknown !== undefined) {
    throw new CompileError(
      `pipeline "${spec.name}": the run config overrides step "${unknown}", which is not in the pipeline`,
      {
        field: `steps.${unknown}`,
        value: unknown,
        fix: `use one of the node ids: ${[...scope.steps.keys()].join(', ')}`,
      },
    );
  }
  const hasOverrides = Object.keys(overrides).length > 0;
  const { relative } = relativeModule(modulePath, projectRoot);
  const body = {
    pipeline: spec.name,
    module: relative,
    params,
    ...(spec.runName === undefined ? {} : { runName: spec.runName }),
    ...(hasOverrides ? { overrides } : {}),
    nodes,
    strataVersion: STRATA_VERSION,
  };
  // Every node of a step carries the same code identity objects (kilobytes in a big project): their
  // canonical text is made once, not once per node.
  const identities = new Set<object>();
  for (const node of nodes) {
    if (node.code?.files) identities.add(node.code.files);
    if (node.code?.packages) identities.add(node.code.packages);
  }
  const id = sha256Hex(canonicalJsonSharing(body, (value) => identities.has(value)));
  const snapshot: Snapshot = Object.freeze({ id, ...body });
  return { snapshot, steps: scope.steps, predicates: scope.predicates };
}

function parsePipelineParams(spec: PipelineSpec<PipelineParams>, raw: Record<string, unknown>) {
  rejectUnknownParams(
    `pipeline "${spec.name}"`,
    spec.params,
    raw,
    'the pipeline params (--param, run config `params:`)',
  );
  if (!spec.params) return {};
  return parseOrThrow(spec.params, raw, {
    code: 'invalid_param',
    what: `pipeline "${spec.name}": invalid parameters`,
    fieldPrefix: 'params',
    fix: 'pass a value matching the pipeline params schema (--param name=value; numbers, booleans, objects and arrays as JSON)',
    compile: true,
    quoteValue: true,
  });
}

function relativeModule(modulePath: string, projectRoot: string | undefined) {
  if (projectRoot && modulePath.startsWith(`${projectRoot}/`)) {
    return { relative: modulePath.slice(projectRoot.length + 1) };
  }
  return { relative: modulePath };
}
