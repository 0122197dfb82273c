import { StrataError } from '../errors/strata-error.js';
import { reconcileRun } from '../liveness/reconcile.js';
import type { RunQuery } from '../metadata/metadata-store.js';
import { ModelRegistry } from '../model-registry/model-registry.js';
import { stackComponent } from '../stack/stack.js';
import { ArtifactView } from './artifact-view.js';
import { RunView } from './run-view.js';
import type { ClientSources } from './sources.js';

/**
 * Time travel over everything a metadata store recorded:
 * `(await client.pipeline('train').latestRun()).step('trainer').output('model').load()`.
 * Pass a Stack, or any `{ database, artifactStore, materializers }`.
 */
export class Client {
  constructor(private readonly sources: ClientSources) {}

  /** Every pipeline with runs, with its run count and last run time. */
  pipelines(): Promise<{ name: string; runCount: number; lastRunAt: number | null }[]> {
    return this.sources.database.listPipelines();
  }

  pipeline(name: string): PipelineView {
    return new PipelineView(this, this.sources, name);
  }

  /** A run by id. */
  async run(id: string): Promise<RunView> {
    const recorded = await this.sources.database.getRun(id);
    // A run marked running whose owner is gone reads as crashed (and is recorded so).
    const record = recorded && (await reconcileRun(this.sources.database, recorded));
    if (!record) {
      throw new StrataError(`run ${id} does not exist`, {
        code: 'unknown_run',
        field: 'run',
        value: id,
        fix: 'list runs with `strata runs list` or client.pipeline(name).runs()',
      });
    }
    return new RunView(this.sources, record, await this.sources.database.listStepRuns(id));
  }

  /**
   * The model registry of the stack the Client was made from (local, mlflow or a plugin's flavor):
   * `await client.models().resolve('penguins@production')`.
   */
  models(): ModelRegistry {
    const registry = stackComponent(this.sources, ModelRegistry);
    if (!registry) {
      throw new StrataError('this Client has no model registry', {
        code: 'missing_component',
        field: 'model_registry',
        value: undefined,
        fix: 'create the Client from a stack that has a model_registry (new Client(await openStack())), or add one: strata stack update NAME --model-registry default',
      });
    }
    return registry;
  }

  /** An artifact by id. */
  async artifact(id: string): Promise<ArtifactView> {
    const record = await this.sources.database.getArtifact(id);
    if (!record) {
      throw new StrataError(`artifact ${id} does not exist`, {
        code: 'unknown_artifact',
        field: 'artifact',
        value: id,
        fix: "find artifact ids through a step's outputs: run.step(name).output(name).artifact()",
      });
    }
    return new ArtifactView(this.sources, record);
  }
}

/** The runs of one pipeline, newest first. */
export class PipelineView {
  constructor(
    private readonly client: Client,
    private readonly sources: ClientSources,
    readonly name: string,
  ) {}

  async runs(query: Omit<RunQuery, 'pipelineName'> = {}): Promise<RunView[]> {
    const records = await this.sources.database.listRuns({ ...query, pipelineName: this.name });
    const views = [];
    for (const record of records) views.push(await this.client.run(record.id));
    return views;
  }

  /** The newest run (optionally the newest with a given status, e.g. `completed`). */
  async latestRun(options: { status?: RunQuery['status'] } = {}): Promise<RunView> {
    const [latest] = await this.sources.database.listRuns({
      pipelineName: this.name,
      limit: 1,
      ...(options.status ? { status: options.status } : {}),
    });
    if (!latest) {
      throw new StrataError(
        `pipeline "${this.name}" has no ${options.status ?? ''} runs`.replace('  ', ' '),
        {
          code: 'no_runs',
          field: 'pipeline',
          value: this.name,
          fix: 'run it first, or check the name with client.pipelines()',
        },
      );
    }
    return this.client.run(latest.id);
  }
}
