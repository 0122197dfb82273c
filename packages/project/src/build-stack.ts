import 'reflect-metadata';
import { type ComponentDescription, type SourceFingerprinter, type Stack, StrataError } from '@strata/core';
import {
  type AnyFlavor,
  ARTIFACT_STORE,
  type ArtifactStore,
  builtinMaterializers,
  COMPONENTS,
  Container,
  componentToken,
  DATABASE,
  FLAVOR,
  MATERIALIZER,
  MATERIALIZERS,
  type Materializer,
  MaterializerRegistry,
  ORCHESTRATOR,
  type Orchestrator,
  requiredComponentTypes,
  SOURCE_FINGERPRINTER,
  SOURCE_READER,
  SOURCES,
  SourceFingerprints,
  type SourceReader,
  STEP_RUNNER_FACTORY,
  type StackDraft,
  type StackRecord,
  type StepRunnerFactory,
  StoredDigestMemo,
  type StrataDatabase,
  type StrataPlugin,
  stepRunnerModule,
} from '@strata/core/plugin';
import { findFlavor } from './plugins.js';
import type { SecretStore } from './secrets.js';
import { stepCommand } from './step-command.js';

export interface BuildStackInput {
  readonly name: string;
  readonly root: string;
  readonly database: StrataDatabase;
  readonly plugins: readonly StrataPlugin[];
  readonly secrets: SecretStore;
  /** Close the database with the stack (false when the project owns it). */
  readonly ownsDatabase?: boolean;
}

/** Parses each component's config and runs every flavor's composition rules, without loading any SDK. */
export async function draftStack(
  input: BuildStackInput,
  flavors: readonly AnyFlavor[],
  /** A stack not (yet) stored: validate it before `stack register`/`update`/`import` writes anything. */
  proposed?: StackRecord,
): Promise<StackDraft> {
  const record = proposed ?? (await input.database.getStack(input.name));
  if (!record) {
    const names = (await input.database.listStacks()).map((s) => s.name);
    throw new StrataError(`unknown stack "${input.name}"`, {
      code: 'unknown_stack',
      field: 'stack',
      value: input.name,
      fix: `use one of: ${names.join(', ') || 'none registered'} (strata stack list)`,
    });
  }
  const components: Record<string, { flavor: AnyFlavor; config: unknown }> = {};
  for (const [type, name] of Object.entries(record.components)) {
    const component = await input.database.getComponent(type, name);
    if (!component) {
      throw new StrataError(`stack "${input.name}" uses unknown ${type} "${name}"`, {
        code: 'unknown_component',
        field: type,
        value: name,
        fix: `register it (strata ${type.replace('_', '-')} register ${name} --flavor ...) or update the stack`,
      });
    }
    const flavor = findFlavor(flavors, type, component.flavor);
    const parsed = flavor.config.safeParse(component.config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new StrataError(`${type} "${name}": config "${issue.path.join('.')}" ${issue.message}`, {
        code: 'invalid_config',
        field: issue.path.join('.'),
        value: undefined,
        fix: `update it with strata ${type.replace('_', '-')} update ${name} --${issue.path.join('.')} <value>`,
      });
    }
    components[type] = { flavor, config: parsed.data };
  }
  for (const type of requiredComponentTypes) {
    if (!components[type]) {
      throw new StrataError(`stack "${input.name}" has no ${type}`, {
        code: 'incomplete_stack',
        field: type,
        value: undefined,
        fix: `add one: strata stack update ${input.name} --${type === 'orchestrator' ? 'orchestrator' : 'artifact-store'} NAME`,
      });
    }
  }
  const draft: StackDraft = {
    name: input.name,
    components,
    database: { url: input.database.url, shared: input.database.shared },
  };
  const problems = Object.values(components).flatMap((c) => c.flavor.validateStack?.(draft) ?? []);
  if (problems.length > 0) {
    throw new StrataError(`stack "${input.name}" is not valid: ${problems.join('; ')}`, {
      code: 'invalid_stack',
      field: 'stack',
      value: input.name,
      // Each problem says what to change (a rule's sentence ends with its remedy): the fix says how.
      fix: `change the component a problem names (--orchestrator NAME / --artifact-store NAME on strata stack register or update) or its config (strata orchestrator update NAME --key value)`,
    });
  }
  return draft;
}

/**
 * Builds the stack's one inversify container and keeps it for the stack's lifetime: plugin modules
 * bind their flavors (lazy component factories), materializers and source fingerprinters; each chosen
 * component is created by its flavor's factory and bound to its type's token; the database, the
 * materializer registry and the source fingerprints are bound beside them, and core's
 * `stepRunnerModule` binds the StepRunner factory from all of these. `stack.stepRunner()` is that
 * factory: no orchestrator, entry program or worker assembles a runner by hand.
 */
export async function buildStack(input: BuildStackInput): Promise<Stack> {
  const container = new Container();
  container.load(...input.plugins.map((p) => p.module), stepRunnerModule);
  const flavors = container.getAll<AnyFlavor>(FLAVOR);
  const draft = await draftStack(input, flavors);
  const described: Record<string, ComponentDescription> = {};
  const record = (await input.database.getStack(input.name))!;
  const extras = new Map<string, unknown>();
  // Each component is built once, in stack order, or earlier when another one asks for it
  // (FlavorContext.component).
  const built = new Map<string, Promise<unknown>>();
  // The artifact store's resolved config: object-store sources in the same cloud reuse its credentials.
  let storeForSources: { flavor: string; config: Readonly<Record<string, unknown>> } | undefined;
  const instanceOf = (type: string): Promise<unknown> => {
    const chosen = draft.components[type];
    if (!chosen) return Promise.resolve(undefined);
    let promise = built.get(type);
    if (!promise) {
      const name = record.components[type]!;
      promise = (async () => {
        const factory = await chosen.flavor.load();
        const resolved = await input.secrets.resolve(chosen.config, `${type}.${name}`);
        if (type === 'artifact_store') {
          storeForSources = {
            flavor: chosen.flavor.name,
            config: resolved as Readonly<Record<string, unknown>>,
          };
        }
        return factory(resolved, {
          projectRoot: input.root,
          componentName: name,
          database: input.database,
          component: <T>(other: string) => instanceOf(other) as Promise<T | undefined>,
        });
      })();
      built.set(type, promise);
    }
    return promise;
  };
  for (const [type, { flavor }] of Object.entries(draft.components)) {
    const name = record.components[type]!;
    const instance = await instanceOf(type);
    container.bind(componentToken(type).id).toConstantValue(instance);
    extras.set(type, instance);
    // The stored config holds secret references, never values: safe to record with every run.
    const stored = await input.database.getComponent(type, name);
    described[type] = { name, flavor: flavor.name, config: stored!.config };
  }
  container.bind(ORCHESTRATOR).toConstantValue(extras.get('orchestrator'));
  container.bind(ARTIFACT_STORE).toConstantValue(extras.get('artifact_store'));
  container.bind(DATABASE).toConstantValue(input.database);
  container.bind(COMPONENTS).toConstantValue(extras);
  // Plugins' materializers, so `strata run`, child processes, containers and workers all know them.
  container
    .bind(MATERIALIZERS)
    .toConstantValue(
      new MaterializerRegistry([
        ...builtinMaterializers,
        ...(container.isBound(MATERIALIZER) ? container.getAll<Materializer>(MATERIALIZER) : []),
      ]),
    );
  container.bind(SOURCES).toConstantValue(
    new SourceFingerprints({
      projectRoot: input.root,
      // The fast path survives the process: the next run skips rehashing unchanged local files.
      memo: new StoredDigestMemo(input.database),
      fingerprinters: container.isBound(SOURCE_FINGERPRINTER)
        ? container.getAll<SourceFingerprinter>(SOURCE_FINGERPRINTER)
        : [],
      readers: container.isBound(SOURCE_READER) ? container.getAll<SourceReader>(SOURCE_READER) : [],
      ...(storeForSources ? { store: storeForSources } : {}),
    }),
  );
  const orchestrator = container.get<Orchestrator>(ORCHESTRATOR);
  const artifactStore = container.get<ArtifactStore>(ARTIFACT_STORE);
  return {
    name: input.name,
    projectRoot: input.root,
    orchestrator,
    artifactStore,
    database: input.database,
    materializers: container.get<MaterializerRegistry>(MATERIALIZERS),
    extras,
    components: described,
    stepCommand: stepCommand(),
    sources: container.get<SourceFingerprints>(SOURCES),
    stepRunner: container.get<StepRunnerFactory>(STEP_RUNNER_FACTORY),
    async close() {
      await orchestrator.close?.();
      await artifactStore.close?.();
      for (const [type, instance] of extras) {
        if (type === 'orchestrator' || type === 'artifact_store') continue;
        await (instance as { close?: () => Promise<void> } | null)?.close?.();
      }
      if (input.ownsDatabase) await input.database.close();
    },
  };
}
