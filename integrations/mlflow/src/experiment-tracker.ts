import type {
  ExperimentTracker,
  JsonValue,
  TrackedRunEnd,
  TrackedRunStart,
  TrackedStep,
  TrackerRun,
} from '@strata/core';
import type { MlflowExperimentTrackerConfig } from './flavor.js';
import { isMlflowCode, MlflowRestClient } from './rest-client.js';

/** MLflow's limits per log-batch call and per value. */
const BATCH = { metrics: 1000, params: 100, tags: 100 } as const;
const MAX_PARAM = 6000;
const MAX_TAG = 8000;

type KV = { key: string; value: string };
type Metric = { key: string; value: number; timestamp: number; step: number };

/** What the Strata run keeps of its MLflow run, so any process can finish it. */
interface RunData {
  readonly server: string;
  readonly experimentId: string;
}

const statusOf: Record<TrackedRunEnd['status'], string> = {
  completed: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
  crashed: 'FAILED',
  running: 'RUNNING',
  pending: 'RUNNING',
};

/**
 * The `mlflow` experiment tracker. A pipeline run becomes an MLflow run in the pipeline's experiment
 * (or `experiment`), with the run's parameters as params and tags linking back to Strata
 * (`strata.run_id`, pipeline, stack, resumed-from). When the run finishes, every numeric value a step
 * logged is a metric of the pipeline run (`<step>.<key>`; a mapped step's instances are MLflow
 * steps 0..n-1 of the same metric), and, with `nested`, each step run is a child run with its own
 * metrics, its other metadata as params, its status and duration.
 */
export class MlflowExperimentTracker implements ExperimentTracker {
  readonly flavor = 'mlflow';
  readonly required: boolean;
  readonly rest: MlflowRestClient;

  constructor(
    private readonly config: MlflowExperimentTrackerConfig,
    componentName: string,
  ) {
    this.required = config.required;
    this.rest = new MlflowRestClient(config, { type: 'experiment_tracker', name: componentName });
  }

  async startRun(run: TrackedRunStart): Promise<TrackerRun> {
    const experimentId = await this.experiment(this.config.experiment ?? run.pipeline);
    const { run: created } = await this.rest.post<{ run: { info: { run_id: string } } }>(
      `start the MLflow run of Strata run ${run.runId}`,
      'runs/create',
      {
        experiment_id: experimentId,
        run_name: run.runName,
        start_time: run.startedAt,
        tags: [
          { key: 'strata.run_id', value: run.runId },
          { key: 'strata.pipeline', value: run.pipeline },
          { key: 'strata.stack', value: run.stack },
          { key: 'mlflow.source.name', value: `strata:${run.pipeline}` },
          ...(run.resumedFrom ? [{ key: 'strata.resumed_from', value: run.resumedFrom }] : []),
        ],
      },
    );
    const id = created.info.run_id;
    await this.logBatch(id, { params: flatten(run.params).map(param), metrics: [], tags: [] });
    const data: RunData = { server: this.rest.baseUrl, experimentId };
    return { id, url: `${this.rest.baseUrl}/#/experiments/${experimentId}/runs/${id}`, data: { ...data } };
  }

  async finishRun(tracked: TrackerRun, end: TrackedRunEnd): Promise<void> {
    const { experimentId } = tracked.data as unknown as RunData;
    const metrics: Metric[] = [];
    // A mapped step has a row for the whole node besides one per instance: only instances are runs.
    const mapped = new Set(end.steps.filter((s) => s.mapIndex >= 0).map((s) => s.nodeId));
    for (const step of end.steps) {
      if (step.mapIndex < 0 && mapped.has(step.nodeId)) continue;
      const at = step.endedAt ?? end.endedAt;
      const index = Math.max(step.mapIndex, 0);
      for (const [key, value] of numeric(step.metadata)) {
        metrics.push({ key: `${step.nodeId}.${key}`, value, timestamp: at, step: index });
      }
      if (this.config.nested) await this.logStep(tracked.id, experimentId, step, end);
    }
    const summary: KV[] = [
      { key: 'strata.status', value: end.status },
      ...(end.error ? [{ key: 'strata.error', value: end.error.slice(0, MAX_TAG) }] : []),
    ];
    await this.logBatch(tracked.id, { params: [], metrics, tags: summary });
    await this.rest.post(`finish the MLflow run ${tracked.id}`, 'runs/update', {
      run_id: tracked.id,
      status: statusOf[end.status],
      end_time: end.endedAt,
    });
  }

  /** One child run per step run (tag mlflow.parentRunId), created finished. */
  private async logStep(parentId: string, experimentId: string, step: TrackedStep, end: TrackedRunEnd) {
    const name = step.mapIndex >= 0 ? `${step.nodeId}[${step.mapIndex}]` : step.nodeId;
    const { run } = await this.rest.post<{ run: { info: { run_id: string } } }>(
      `record step ${name} in MLflow`,
      'runs/create',
      {
        experiment_id: experimentId,
        run_name: name,
        start_time: step.startedAt ?? end.endedAt,
        tags: [
          { key: 'mlflow.parentRunId', value: parentId },
          { key: 'strata.step', value: step.nodeId },
          { key: 'strata.status', value: step.status },
          ...(step.cacheReason ? [{ key: 'strata.cache', value: step.cacheReason.slice(0, MAX_TAG) }] : []),
        ],
      },
    );
    const at = step.endedAt ?? end.endedAt;
    const metrics: Metric[] = numeric(step.metadata).map(([key, value]) => ({
      key,
      value,
      timestamp: at,
      step: 0,
    }));
    if (step.startedAt !== null && step.endedAt !== null) {
      metrics.push({
        key: 'duration_s',
        value: (step.endedAt - step.startedAt) / 1000,
        timestamp: at,
        step: 0,
      });
    }
    const params = Object.entries(step.metadata)
      .filter(([, v]) => typeof v !== 'number' && typeof v !== 'boolean')
      .flatMap(([k, v]) => flatten(v, k))
      .map(param);
    await this.logBatch(run.info.run_id, { params, metrics, tags: [] });
    const failed = step.status === 'failed' ? 'FAILED' : step.status === 'cancelled' ? 'KILLED' : 'FINISHED';
    await this.rest.post(`finish step ${name} in MLflow`, 'runs/update', {
      run_id: run.info.run_id,
      status: failed,
      end_time: at,
    });
  }

  private async experiment(name: string): Promise<string> {
    try {
      const { experiment } = await this.rest.get<{ experiment: { experiment_id: string } }>(
        `look up experiment "${name}"`,
        'experiments/get-by-name',
        { experiment_name: name },
      );
      return experiment.experiment_id;
    } catch (error) {
      if (!isMlflowCode(error, 'RESOURCE_DOES_NOT_EXIST')) throw error;
    }
    try {
      const { experiment_id } = await this.rest.post<{ experiment_id: string }>(
        `create experiment "${name}"`,
        'experiments/create',
        { name, tags: [{ key: 'strata.pipeline', value: name }] },
      );
      return experiment_id;
    } catch (error) {
      // Another run created it at the same moment.
      if (!isMlflowCode(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
      return this.experiment(name);
    }
  }

  private async logBatch(runId: string, batch: { params: KV[]; metrics: Metric[]; tags: KV[] }) {
    let { params, metrics, tags } = batch;
    while (params.length + metrics.length + tags.length > 0) {
      await this.rest.post(`log to MLflow run ${runId}`, 'runs/log-batch', {
        run_id: runId,
        params: params.slice(0, BATCH.params),
        metrics: metrics.slice(0, BATCH.metrics),
        tags: tags.slice(0, BATCH.tags),
      });
      params = params.slice(BATCH.params);
      metrics = metrics.slice(BATCH.metrics);
      tags = tags.slice(BATCH.tags);
    }
  }
}

/** `{a: {b: 1}, c: [1, 2]}` -> `a.b=1`, `c=[1,2]`: MLflow params are flat strings. */
export function flatten(value: JsonValue, prefix = ''): KV[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) return [{ key: prefix, value: '{}' }];
    return entries.flatMap(([k, v]) => flatten(v as JsonValue, prefix ? `${prefix}.${k}` : k));
  }
  if (!prefix) return [];
  return [{ key: prefix, value: typeof value === 'string' ? value : JSON.stringify(value) }];
}

function param(kv: KV): KV {
  return { key: kv.key.slice(0, 250), value: kv.value.slice(0, MAX_PARAM) };
}

/** The finite numbers (and booleans as 0/1) among a step's metadata, nested keys joined by '.'. */
export function numeric(metadata: Readonly<Record<string, JsonValue>>, prefix = ''): [string, number][] {
  return Object.entries(metadata).flatMap(([k, v]): [string, number][] => {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number') return Number.isFinite(v) ? [[key, v]] : [];
    if (typeof v === 'boolean') return [[key, v ? 1 : 0]];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return numeric(v, key);
    return [];
  });
}
