import { kindsCompatible } from '../artifact-type/artifact-type.js';
import { parseOrThrow } from '../errors/parse-or-throw.js';
import { CompileError } from '../errors/strata-error.js';
import { sha256Hex } from '../hash/canonical-json.js';
import { rejectUnknownParams } from '../params/unknown-param.js';
import { isSource, sourceFits } from '../source/source.js';
import type { SourceSpec } from '../source/source-spec.js';
import { normalizeSource } from '../step/code-hash.js';
import type { StepDefinition } from '../step/step.js';
import type { CachePolicy, RetryPolicy, StepSettings } from '../step/step-options.js';
import { isOutputRef, nodeOf, type OutputRef, outputRef, tagNode } from './output-ref.js';
import type { InputBinding, SnapshotNode, StepOverrides } from './snapshot.js';

/** Per-call options in a pipeline body: `train({ data }, { params: { trees: 50 }, after: [check] })`. */
export interface StepCallOptions<P = Record<string, unknown>> {
  readonly params?: Partial<P>;
  /** Node id when one step is used more than once (default: the step name, then name_2, name_3…). */
  readonly id?: string;
  readonly after?: readonly unknown[];
  readonly cache?: boolean | CachePolicy;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  readonly settings?: StepSettings;
}

export type Predicate = (value: unknown) => boolean;

interface Condition {
  readonly node: string;
  readonly output: string;
  readonly predicate: string;
}

/** Collects nodes while a pipeline body runs. One scope at a time: bodies are synchronous. */
export class CompileScope {
  readonly nodes: SnapshotNode[] = [];
  readonly steps = new Map<string, StepDefinition>();
  readonly predicates = new Map<string, Predicate>();
  readonly conditions: Condition[] = [];

  constructor(
    readonly pipelineName: string,
    /** Per-node overrides from a run config (`strata run --config`), applied over the body's options. */
    readonly overrides: StepOverrides = {},
  ) {}

  add(
    step: StepDefinition,
    inputs: Record<string, unknown>,
    options: StepCallOptions & { mapOver?: string; concurrency?: number },
  ) {
    const spec = step.spec;
    const id = options.id ?? this.uniqueId(spec.name);
    const where = `step "${id}" of pipeline "${this.pipelineName}"`;
    if (this.steps.has(id)) {
      throw new CompileError(`${where}: node id "${id}" is used twice`, {
        field: 'id',
        value: id,
        fix: 'give each call a distinct `id` option',
      });
    }
    const declared = spec.inputs ?? {};
    const bindings: Record<string, InputBinding> = {};
    const sources: Record<string, SourceSpec> = {};
    for (const [name, ref] of Object.entries(inputs)) {
      const type = declared[name];
      if (!type) {
        throw new CompileError(`${where}: unexpected input "${name}"`, {
          field: `inputs.${name}`,
          value: name,
          fix: `declare it in the step's inputs or remove it; declared inputs: ${Object.keys(declared).join(', ') || 'none'}`,
        });
      }
      if (isSource(ref)) {
        if (!sourceFits(ref, type) || options.mapOver === name) {
          throw new CompileError(
            `${where}: input "${name}" expects ${type.kind} but is fed the ${ref.scheme} source ${ref.uri}`,
            {
              field: `inputs.${name}`,
              value: ref.uri,
              fix:
                options.mapOver === name
                  ? 'a source cannot be mapped over; list its entries in a step and map over that output'
                  : 'declare the input as t.source() (local files may also be t.file() / t.directory())',
            },
          );
        }
        sources[name] = ref.glob === undefined ? { uri: ref.uri } : { uri: ref.uri, glob: ref.glob };
        continue;
      }
      if (type.kind === 'source') {
        throw new CompileError(`${where}: input "${name}" is declared t.source() but is fed a step output`, {
          field: `inputs.${name}`,
          value: isOutputRef(ref) ? `${ref.node}.${ref.output}` : typeof ref,
          fix: "pass source('path or URL') for it, or declare the input with the upstream output's type",
        });
      }
      if (!isOutputRef(ref)) {
        throw new CompileError(`${where}: input "${name}" is not a step output`, {
          field: `inputs.${name}`,
          value: typeof ref,
          fix: 'wire an output of an upstream step; pass plain values as parameters instead',
        });
      }
      if (!this.steps.has(ref.node)) {
        throw new CompileError(
          `${where}: input "${name}" comes from "${ref.node}", which is not in this pipeline`,
          {
            field: `inputs.${name}`,
            value: ref.node,
            fix: 'call the upstream step inside the same pipeline body',
          },
        );
      }
      const expectsList = options.mapOver === name;
      const fromKind = ref.collected && !expectsList ? 'json' : ref.type.kind;
      if (!expectsList && !kindsCompatible(fromKind, type.kind)) {
        throw new CompileError(
          `${where}: input "${name}" expects ${type.kind} but "${ref.node}.${ref.output}" is ${fromKind}`,
          {
            field: `inputs.${name}`,
            value: fromKind,
            fix: `wire an output of type ${type.kind} or change the declared input type`,
          },
        );
      }
      bindings[name] = { node: ref.node, output: ref.output, collect: ref.collected };
    }
    for (const name of Object.keys(declared)) {
      if (!(name in bindings) && !(name in sources)) {
        throw new CompileError(`${where}: missing input "${name}"`, {
          field: `inputs.${name}`,
          value: undefined,
          fix: `pass { ${name}: <upstream output> } when calling the step`,
        });
      }
    }
    if (options.mapOver !== undefined && !(options.mapOver in bindings)) {
      throw new CompileError(`${where}: map over unknown input "${options.mapOver}"`, {
        field: 'map.over',
        value: options.mapOver,
        fix: `map over one of: ${Object.keys(bindings).join(', ') || 'no inputs declared'}`,
      });
    }
    const override = this.overrides[id];
    rejectUnknownParams(where, spec.params, options.params ?? {}, 'the params of the step call');
    rejectUnknownParams(where, spec.params, override?.params ?? {}, `the run config's steps.${id}.params`);
    const params = this.validateParams(step, { ...options.params, ...override?.params }, where);
    const after = (options.after ?? []).map((item, i) => {
      const node = nodeOf(item);
      if (!node || !this.steps.has(node)) {
        throw new CompileError(`${where}: after[${i}] is not a step call of this pipeline`, {
          field: `after[${i}]`,
          value: node,
          fix: 'pass the value returned by calling an earlier step',
        });
      }
      return node;
    });
    const cache = normalizeCache(override?.cache ?? options.cache ?? spec.cache);
    const condition = this.conditions.at(-1);
    const retry = options.retry ?? spec.retry;
    const timeoutMs = options.timeoutMs ?? spec.timeoutMs;
    const settings = mergeSettings(mergeSettings(spec.settings, options.settings), override?.settings);
    const outputs: Record<
      string,
      { kind: import('../artifact-type/artifact-type.js').ArtifactKind; materializer?: string }
    > = {};
    for (const [name, type] of Object.entries(spec.outputs)) {
      outputs[name] =
        type.materializer === undefined
          ? { kind: type.kind }
          : { kind: type.kind, materializer: type.materializer };
    }
    const node: SnapshotNode = {
      id,
      step: spec.name,
      codeHash: step.codeHash,
      ...(step.code ? { code: { files: step.code.files, packages: step.code.packages } } : {}),
      ...(spec.version === undefined ? {} : { version: spec.version }),
      params,
      inputs: bindings,
      ...(Object.keys(sources).length > 0 ? { sources } : {}),
      outputs,
      after,
      ...(options.mapOver === undefined
        ? {}
        : {
            map: {
              over: options.mapOver,
              ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
            },
          }),
      ...(condition ? { condition } : {}),
      cache,
      ...(retry ? { retry } : {}),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(settings ? { settings } : {}),
    };
    this.nodes.push(node);
    this.steps.set(id, step);
    const refs: Record<string, OutputRef> = {};
    for (const [name, type] of Object.entries(spec.outputs)) {
      refs[name] = outputRef(id, name, type, options.mapOver !== undefined);
    }
    return tagNode(refs, id);
  }

  addCondition(ref: OutputRef, predicate: Predicate): Condition {
    // Normalized like a step's fallback code hash: tsx and Vite print the same arrow function with
    // other whitespace and parentheses, and a run submitted from one (a test runner) and executed by
    // the other (a step process or worker) must agree on the snapshot.
    const source = normalizeSource(predicate.toString());
    const id = `${ref.node}.${ref.output}#${sha256Hex(source).slice(0, 12)}`;
    this.predicates.set(id, predicate);
    const condition = { node: ref.node, output: ref.output, predicate: id };
    return condition;
  }

  private validateParams(step: StepDefinition, given: Record<string, unknown>, where: string) {
    const schema = step.spec.params;
    if (!schema) return {};
    return parseOrThrow(schema, given, {
      code: 'invalid_param',
      what: `${where}: invalid parameters`,
      fieldPrefix: 'params',
      fix: "pass a value that matches the step's params schema",
      compile: true,
      quoteValue: true,
    });
  }

  private uniqueId(name: string): string {
    if (!this.steps.has(name)) return name;
    let n = 2;
    while (this.steps.has(`${name}_${n}`)) n++;
    return `${name}_${n}`;
  }
}

function normalizeCache(cache: boolean | CachePolicy | undefined): SnapshotNode['cache'] {
  if (cache === undefined || cache === true) return { enabled: true };
  if (cache === false) return { enabled: false };
  return {
    enabled: cache.enabled ?? true,
    ...(cache.ttlSeconds === undefined ? {} : { ttlSeconds: cache.ttlSeconds }),
    ...(cache.strict ? { strict: true } : {}),
  };
}

function mergeSettings(a: StepSettings | undefined, b: StepSettings | undefined): StepSettings | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: Record<string, Record<string, unknown>> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = { ...(a[k] ?? {}), ...v };
  return out;
}

let active: CompileScope | undefined;

export function withScope<T>(scope: CompileScope, body: () => T): T {
  if (active)
    throw new CompileError('pipelines cannot be compiled inside another pipeline body', {
      field: 'pipeline',
      value: scope.pipelineName,
    });
  active = scope;
  try {
    return body();
  } finally {
    active = undefined;
  }
}

export function currentScope(what: string): CompileScope {
  if (!active) {
    throw new CompileError(`${what} was called outside a pipeline body`, {
      field: 'step',
      value: what,
      fix: 'call steps inside pipeline({ body }) (to run one step alone, use runStep from @strata/testing)',
    });
  }
  return active;
}

export function recordStepCall(
  step: StepDefinition,
  inputs: Record<string, unknown>,
  options: StepCallOptions & { mapOver?: string; concurrency?: number },
) {
  return currentScope(`step "${step.spec.name}"`).add(step, inputs, options);
}

/**
 * Runs `body` as a conditional branch: its steps run only if `predicate` holds for the value of `ref`
 * once it is produced; otherwise they (and everything depending on them) are skipped.
 */
export function when<T>(ref: OutputRef<T>, predicate: (value: T) => boolean, body: () => void): void {
  const scope = currentScope('when()');
  scope.conditions.push(scope.addCondition(ref as OutputRef, predicate as Predicate));
  try {
    body();
  } finally {
    scope.conditions.pop();
  }
}
