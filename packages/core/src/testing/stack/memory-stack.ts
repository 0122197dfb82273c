import 'reflect-metadata';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinMaterializers, MaterializerRegistry } from '../../materializers/registry.js';
import type { StrataDatabase } from '../../metadata/strata-database.js';
import { type StepRunnerFactory, stepRunnerModule } from '../../runner/step-runner-factory.js';
import { SourceFingerprints } from '../../source/fingerprint-sources.js';
import { StoredDigestMemo } from '../../source/stored-digest-memo.js';
import type { ComponentDescription, Stack } from '../../stack/stack.js';
import {
  ARTIFACT_STORE,
  COMPONENTS,
  DATABASE,
  MATERIALIZERS,
  SOURCES,
  STEP_RUNNER_FACTORY,
} from '../../stack/tokens.js';
import { Container } from '../../vendor/inversify.js';
import { openMemoryDatabase } from '../memory-database/memory-database.js';
import { DirectoryArtifactStore } from './directory-artifact-store.js';
import { InProcessOrchestrator } from './in-process-orchestrator.js';
import { registerTestStack, testConcurrency } from './register-test-stack.js';

export interface MemoryStackOptions {
  /** Step instances running at once (default 4). */
  readonly concurrency?: number;
  /** Print step log lines to stderr as they happen. */
  readonly echoLogs?: boolean;
}

export interface MemoryStack {
  readonly stack: Stack;
  /** A throwaway project root: source files of a test and `.strata/artifacts` (the store) live under it. */
  readonly root: string;
  readonly database: StrataDatabase;
  /** Closes the stack and deletes the root. */
  cleanup(): Promise<void>;
}

export const MEMORY_STACK = 'memory';

/**
 * A stack for core's unit tests with nothing outside core: the in-memory database, a folder artifact
 * store (`<root>/.strata/artifacts`) and core's run loop as the orchestrator, every StepRunner from the
 * one factory (`stepRunnerModule`) as on a real stack. Its stack and components are recorded in its
 * database like a project's. A step process or another program cannot open it: tests of process
 * isolation and of other processes use @strata/testing's temporary stack.
 */
export async function createMemoryStack(options: MemoryStackOptions = {}): Promise<MemoryStack> {
  const concurrency = testConcurrency(options.concurrency);
  const root = await mkdtemp(join(tmpdir(), 'strata-memory-'));
  const storeRoot = join(root, '.strata', 'artifacts');
  await mkdir(storeRoot, { recursive: true });
  const database = openMemoryDatabase({ name: root });
  const orchestrator = new InProcessOrchestrator(concurrency, options.echoLogs ?? false);
  const artifactStore = new DirectoryArtifactStore(storeRoot);
  const components: Record<string, ComponentDescription> = {
    orchestrator: { name: MEMORY_STACK, flavor: orchestrator.flavor, config: { concurrency } },
    artifact_store: { name: MEMORY_STACK, flavor: 'directory', config: { path: '.strata/artifacts' } },
  };
  await registerTestStack(
    database,
    MEMORY_STACK,
    Object.entries(components).map(([type, c]) => ({ type, flavor: c.flavor, config: c.config })),
  );
  const extras = new Map<string, unknown>([
    ['orchestrator', orchestrator],
    ['artifact_store', artifactStore],
  ]);
  const container = new Container();
  container.load(stepRunnerModule);
  container.bind(DATABASE).toConstantValue(database);
  container.bind(ARTIFACT_STORE).toConstantValue(artifactStore);
  container.bind(COMPONENTS).toConstantValue(extras);
  container.bind(MATERIALIZERS).toConstantValue(new MaterializerRegistry(builtinMaterializers));
  container
    .bind(SOURCES)
    .toConstantValue(new SourceFingerprints({ projectRoot: root, memo: new StoredDigestMemo(database) }));
  const stack: Stack = {
    name: MEMORY_STACK,
    projectRoot: root,
    orchestrator,
    artifactStore,
    database,
    materializers: container.get<MaterializerRegistry>(MATERIALIZERS),
    extras,
    components,
    sources: container.get<SourceFingerprints>(SOURCES),
    stepRunner: container.get<StepRunnerFactory>(STEP_RUNNER_FACTORY),
    close: () => database.close(),
  };
  let cleaned = false;
  return {
    stack,
    root,
    database,
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      await stack.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
