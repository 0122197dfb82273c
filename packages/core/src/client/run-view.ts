import { StrataError } from '../errors/strata-error.js';
import type { JsonValue, LogLine, RunRecord, StepRunRecord } from '../metadata/records.js';
import { ArtifactView } from './artifact-view.js';
import { CacheExplainer, type CacheExplanation } from './cache-explain.js';
import type { ClientSources } from './sources.js';

/** One past (or running) run, with its step rows as they were when it was loaded. */
export class RunView {
  constructor(
    private readonly sources: ClientSources,
    readonly record: RunRecord,
    private readonly rows: readonly StepRunRecord[],
  ) {}

  get id(): string {
    return this.record.id;
  }
  get name(): string {
    return this.record.name;
  }
  get status(): RunRecord['status'] {
    return this.record.status;
  }

  /** The pipeline's nodes (a mapped step appears once; its instances through `step(name).instances()`). */
  steps(): StepView[] {
    return this.rows
      .filter((r) => r.mapIndex < 0)
      .map((r) => new StepView(this.sources, r, this.instancesOf(r)));
  }

  /** A step by node id (the step name unless the pipeline gave the call an `id`). */
  step(name: string): StepView {
    const row = this.rows.find((r) => r.mapIndex < 0 && r.nodeId === name);
    if (!row) {
      const known = this.rows.filter((r) => r.mapIndex < 0).map((r) => r.nodeId);
      throw new StrataError(`run ${this.id} has no step "${name}"`, {
        code: 'unknown_step',
        field: 'step',
        value: name,
        fix: `use one of: ${known.join(', ')}`,
      });
    }
    return new StepView(this.sources, row, this.instancesOf(row));
  }

  /** Run-level metadata. */
  metadata(): Promise<Record<string, JsonValue>> {
    return this.sources.database.getMetadata('run', this.id);
  }

  private instancesOf(row: StepRunRecord): StepRunRecord[] {
    return this.rows
      .filter((r) => r.nodeId === row.nodeId && r.mapIndex >= 0)
      .sort((a, b) => a.mapIndex - b.mapIndex);
  }
}

/** One step of a run: status, cache reason, error, logs, metadata and outputs. */
export class StepView {
  constructor(
    private readonly sources: ClientSources,
    readonly record: StepRunRecord,
    private readonly instanceRows: readonly StepRunRecord[] = [],
  ) {}

  get name(): string {
    return this.record.nodeId;
  }
  get status(): StepRunRecord['status'] {
    return this.record.status;
  }
  /** "hit: run r-12 step train", "miss: code of `train` changed", "condition was false", … */
  get cacheReason(): string | null {
    return this.record.cacheReason;
  }
  get error(): string | null {
    return this.record.error;
  }
  get mapped(): boolean {
    return this.instanceRows.length > 0;
  }

  /** The instances of a mapped step, in element order (empty for an ordinary step). */
  instances(): StepView[] {
    return this.instanceRows.map((r) => new StepView(this.sources, r));
  }

  /** A named output; for a mapped step, the collected list of its instances' outputs. */
  output(name: string): OutputView {
    return new OutputView(this.sources, this.record, name, this.mapped);
  }

  /** Every output by name. */
  async outputs(): Promise<Record<string, OutputView>> {
    const names = new Set(
      (await this.sources.database.stepRunEvents(this.record.id))
        .filter((e) => e.type === 'output' && !e.name.startsWith('__'))
        .map((e) => e.name),
    );
    return Object.fromEntries([...names].map((n) => [n, this.output(n)]));
  }

  /** The artifacts this step read, by input name (lists for fan-in inputs). */
  async inputs(): Promise<Record<string, ArtifactView[]>> {
    const out: Record<string, ArtifactView[]> = {};
    for (const e of await this.sources.database.stepRunEvents(this.record.id)) {
      if (e.type !== 'input') continue;
      const list = out[e.name] ?? [];
      list.push(new ArtifactView(this.sources, e.artifact));
      out[e.name] = list;
    }
    return out;
  }

  /** Log lines (for a mapped step, every instance's lines in element order). */
  async logs(): Promise<LogLine[]> {
    const ids = this.mapped ? this.instanceRows.map((r) => r.id) : [this.record.id];
    const lines: LogLine[] = [];
    for (const id of ids) lines.push(...(await this.sources.database.readLogs({ stepRunId: id })));
    return lines;
  }

  /** Metadata recorded with `ctx.log(values)`. */
  metadata(): Promise<Record<string, JsonValue>> {
    return this.sources.database.getMetadata('step_run', this.record.id);
  }

  /**
   * Why this step was a hit or a miss: every part of its cache key and the differences from the
   * nearest earlier execution of the step (what `strata cache explain RUN STEP` prints).
   */
  async explainCache(): Promise<CacheExplanation> {
    const run = await this.sources.database.getRun(this.record.runId);
    if (!run) {
      throw new StrataError(`run ${this.record.runId} does not exist`, {
        code: 'unknown_run',
        field: 'run',
        value: this.record.runId,
        fix: 'list runs with `strata runs list`',
      });
    }
    return new CacheExplainer(this.sources.database, run).explainRow(this.record);
  }
}

/** A step output: its artifact(s) and value. */
export class OutputView {
  constructor(
    private readonly sources: ClientSources,
    private readonly stepRun: StepRunRecord,
    readonly name: string,
    private readonly collected: boolean,
  ) {}

  /** The artifacts, in element order for a mapped step. */
  async artifacts(): Promise<ArtifactView[]> {
    const events = (await this.sources.database.stepRunEvents(this.stepRun.id))
      .filter((e) => e.type === 'output' && e.name === this.name)
      .sort((a, b) => a.position - b.position);
    if (events.length === 0) {
      throw new StrataError(
        `step "${this.stepRun.nodeId}" of run ${this.stepRun.runId} has no output "${this.name}" (status ${this.stepRun.status})`,
        {
          code: 'unknown_output',
          field: 'output',
          value: this.name,
          fix: 'check the step name and its declared outputs; failed and skipped steps have none',
        },
      );
    }
    return events.map((e) => new ArtifactView(this.sources, e.artifact));
  }

  /** The single artifact of an ordinary step's output. */
  async artifact(): Promise<ArtifactView> {
    return (await this.artifacts())[0]!;
  }

  /** The value (an array of the instances' values for a mapped step). */
  async load<T = unknown>(): Promise<T> {
    const artifacts = await this.artifacts();
    if (!this.collected) return artifacts[0]!.load<T>();
    const values = [];
    for (const a of artifacts) values.push(await a.load());
    return values as T;
  }
}
