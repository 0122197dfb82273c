import type { MlflowExperimentTrackerConfig, MlflowModelRegistryConfig } from './flavor.js';

/**
 * The MLflow server that scripts/services/mlflow.sh starts (token auth on). Tests that need it fail
 * loudly, naming the script, when it is not configured.
 */
export function mlflowTestServer(): { url: string; token: string; username: string; password: string } {
  const url = process.env.STRATA_TEST_MLFLOW_URL;
  const token = process.env.STRATA_TEST_MLFLOW_TOKEN;
  const username = process.env.STRATA_TEST_MLFLOW_USERNAME;
  const password = process.env.STRATA_TEST_MLFLOW_PASSWORD;
  if (!url || !token || !username || !password) {
    throw new Error(
      'STRATA_TEST_MLFLOW_URL/_TOKEN/_USERNAME/_PASSWORD are not set: run `bash scripts/services/mlflow.sh` and `source .services/env`',
    );
  }
  return { url, token, username, password };
}

export function registryTestConfig(): MlflowModelRegistryConfig {
  const { url, token } = mlflowTestServer();
  return { url, token, timeoutMs: 15_000 };
}

export function trackerTestConfig(
  overrides: Partial<MlflowExperimentTrackerConfig> = {},
): MlflowExperimentTrackerConfig {
  const { url, token } = mlflowTestServer();
  return { url, token, timeoutMs: 15_000, nested: true, required: false, ...overrides };
}
