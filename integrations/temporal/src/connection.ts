import { StrataError } from '@strata/core';
import { Client, Connection } from '@temporalio/client';
import type { TemporalOrchestratorConfig } from './flavor.js';
import type { RunSettings } from './plan.js';

/** Opens a client connection; the error names the address (never the API key) and how to fix it. */
export async function connectClient(
  config: TemporalOrchestratorConfig,
): Promise<{ client: Client; connection: Connection }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: config.address,
      ...(config.tls || config.apiKey ? { tls: true } : {}),
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    });
  } catch (error) {
    throw new StrataError(
      `cannot reach the Temporal server at ${config.address}: ${(error as Error).message}`,
      {
        code: 'temporal_unreachable',
        field: 'address',
        value: config.address,
        fix: 'start a Temporal server (temporal server start-dev) or fix the orchestrator address',
      },
    );
  }
  return { client: new Client({ connection, namespace: config.namespace }), connection };
}

export function runSettings(config: TemporalOrchestratorConfig): RunSettings {
  return {
    taskQueue: config.taskQueue,
    stepTimeoutMs: config.stepTimeoutMs,
    heartbeatTimeoutMs: config.heartbeatTimeoutMs,
    activityAttempts: config.activityAttempts,
    batchSize: config.batchSize,
    maxConcurrentBatches: config.maxConcurrentBatches,
    continueAsNewAfterEvents: config.continueAsNewAfterEvents,
  };
}
