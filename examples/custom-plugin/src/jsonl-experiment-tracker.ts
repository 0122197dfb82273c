// Section 8 of docs/plugins.md: an ExperimentTracker turns each pipeline run into a run of its own
// (params, step metrics, a tag back to the Strata run). This one appends JSON lines to a file.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ExperimentTracker,
  type JsonValue,
  StrataError,
  type TrackedRunEnd,
  type TrackedRunStart,
  type TrackerRun,
} from '@strata/core';

export class JsonlExperimentTracker implements ExperimentTracker {
  readonly flavor = 'jsonl';

  constructor(
    private readonly file: string,
    /** `required: true` makes a tracker failure fail the pipeline run; otherwise it is a warning. */
    readonly required: boolean,
  ) {}

  async startRun(run: TrackedRunStart): Promise<TrackerRun> {
    const id = randomUUID();
    await this.append({
      event: 'start',
      id,
      params: flatten(run.params),
      tags: { 'strata.run_id': run.runId, 'strata.pipeline': run.pipeline, 'strata.stack': run.stack },
    });
    // `data` is kept with the Strata run and handed back to finishRun, possibly in another process.
    return { id, url: pathToFileURL(this.file).href, data: { file: this.file } };
  }

  async finishRun(run: TrackerRun, end: TrackedRunEnd): Promise<void> {
    const metrics: Record<string, number> = {};
    for (const step of end.steps) {
      const prefix = step.mapIndex >= 0 ? `${step.nodeId}[${step.mapIndex}]` : step.nodeId;
      for (const [key, value] of Object.entries(flatten(step.metadata))) {
        const number = Number(value);
        if (value !== '' && Number.isFinite(number)) metrics[`${prefix}.${key}`] = number;
      }
    }
    await this.append({ event: 'finish', id: run.id, status: end.status, error: end.error, metrics });
  }

  private async append(line: Record<string, JsonValue>): Promise<void> {
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, `${JSON.stringify(line)}\n`);
    } catch (error) {
      throw new StrataError(`cannot write the experiment log ${this.file}: ${(error as Error).message}`, {
        code: 'tracker_failed',
        field: 'file',
        value: this.file,
        fix: 'point the tracker at a writable file: strata experiment-tracker update NAME --file PATH',
        cause: error,
      });
    }
  }
}

/** `{ model: { depth: 3 } }` -> `{ 'model.depth': '3' }`: trackers keep flat string params. */
function flatten(value: JsonValue, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}
