import {
  Deployer,
  type DeploymentSpec,
  ModelRegistry,
  type Stack,
  StrataError,
  sendAlert,
} from '@strata/core';
import { stackComponent } from '@strata/core/plugin';
import { type ModelServer, type SmokeCheckOptions, startModelServer } from './model-server.js';
import type { QualityWatchOptions } from './quality-watch.js';

export interface LocalDeployerConfig {
  readonly host: string;
  readonly pollMs: number;
}

/** The `local` deployer: an HTTP model server in this process (see ModelServer). */
export class LocalDeployer implements Deployer {
  readonly flavor = 'local';
  private readonly running = new Set<ModelServer>();

  constructor(private readonly config: LocalDeployerConfig = { host: '127.0.0.1', pollMs: 1000 }) {}

  async deploy(spec: DeploymentSpec, stack: Stack): Promise<ModelServer> {
    const registry = stackComponent(stack, ModelRegistry);
    if (!registry) {
      throw new StrataError(`stack "${stack.name}" has no model_registry to serve "${spec.model}" from`, {
        code: 'missing_component',
        field: 'model_registry',
        value: stack.name,
        fix: `register one and add it: strata model-registry register local --flavor local && strata stack update ${stack.name} --model-registry local`,
      });
    }
    const options = (spec.options ?? {}) as {
      pollMs?: number;
      smoke?: SmokeCheckOptions;
      quality?: Partial<QualityWatchOptions>;
      /** Window of the recorded serving statistics, ms (default 60 000); 0 turns recording off. */
      monitoringWindowMs?: number;
    };
    const server = await startModelServer({
      registry,
      store: stack.artifactStore,
      // Plugins' materializers too: a model stored by one (t.custom('acme.model')) must load here.
      materializers: stack.materializers,
      model: spec.model,
      host: spec.host ?? this.config.host,
      port: spec.port ?? 0,
      pollMs: options.pollMs ?? this.config.pollMs,
      ...(spec.name === undefined ? {} : { name: spec.name }),
      ...(options.smoke ? { smoke: options.smoke } : {}),
      ...(options.quality ? { quality: options.quality } : {}),
      ...(options.monitoringWindowMs === 0
        ? {}
        : { monitoring: { store: stack.database, windowMs: options.monitoringWindowMs ?? 60_000 } }),
      alert: (event) => sendAlert(stack, event),
    });
    this.running.add(server);
    return server;
  }

  async close(): Promise<void> {
    await Promise.all([...this.running].map((s) => s.stop()));
    this.running.clear();
  }
}

/**
 * `strata serve MODEL@alias` as a library call: deploys with the stack's deployer component, or the
 * local one when the stack has none.
 */
export async function serveModel(stack: Stack, spec: DeploymentSpec): Promise<ModelServer> {
  const deployer = stackComponent(stack, Deployer) ?? new LocalDeployer();
  return (await deployer.deploy(spec, stack)) as ModelServer;
}
