import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Deployment, type ModelRegistry, parseModelRef, StrataError } from '@strata/core';
import type { ArtifactStore, MaterializerRegistry, ModelVersionRecord } from '@strata/core/plugin';
import type { Row } from '../data/table.js';
import type { TrainedModel } from '../models/bundle.js';
import { predictRows, releaseModel } from '../models/predict.js';
import { loadModelVersion } from '../registry/load-model-version.js';
import { readBody, sendJson } from './http-util.js';
import { defaultQualityWatch, QualityWatch, type QualityWatchOptions } from './quality-watch.js';
import { BadRequest, parseFeedbackBody, parseJson, parsePredictBody } from './request-body.js';
import { type AlertSink, baselineOf, ServingRecorder, type ServingStore } from './serving-recorder.js';

export interface SmokeCheckOptions {
  /** Rows sent to /predict after every swap, one request each plus one batch. Default `[{}]` (all imputed). */
  readonly rows?: readonly Row[];
  /** Highest tolerated share of failed smoke requests. Default 0. */
  readonly maxErrorRate?: number;
}

export interface ModelServerOptions {
  readonly registry: ModelRegistry;
  readonly store: ArtifactStore;
  /** The stack's materializers (plugins' included); default: the built-in ones. */
  readonly materializers?: MaterializerRegistry;
  /** `NAME@alias` (followed) or `NAME@version` (pinned). */
  readonly model: string;
  readonly name?: string;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** How often the alias is checked; 0 turns polling off (call `refresh()`). Default 1000. */
  readonly pollMs?: number;
  readonly smoke?: SmokeCheckOptions;
  readonly quality?: Partial<QualityWatchOptions>;
  /**
   * Where input statistics and feedback are recorded per model version and window (the metadata
   * store), for drift and live quality (`strata trigger create --on model-health`). Off when absent.
   */
  readonly monitoring?: { readonly store: ServingStore; readonly windowMs?: number };
  /** Told about promotions and rollbacks (the stack's alerter). */
  readonly alert?: AlertSink;
}

interface Served {
  readonly record: ModelVersionRecord;
  readonly bundle: TrainedModel;
  inFlight: number;
  retired: boolean;
}

/** What the server did on its own, newest last (also in /metadata). */
export interface ServerEvent {
  readonly at: number;
  readonly kind: 'serve' | 'swap' | 'smoke-rollback' | 'quality-rollback';
  readonly version: number;
  readonly detail: string;
}

/**
 * An HTTP model server for one registered model: POST /predict (JSON batch through the bundle's own
 * transform), POST /feedback, GET /health and GET /metadata. It follows an alias: when the alias
 * moves it loads the new version, swaps it in without dropping in-flight requests (they finish on the
 * version they started with), smoke-checks it over HTTP and rolls the alias back if the check fails.
 * It also rolls back by itself when feedback shows the new version's live metric is worse than the
 * previous version's by more than the configured margin.
 */
export class ModelServer implements Deployment {
  readonly name: string;
  readonly model: string;
  private readonly ref: { model: string; alias?: string; version?: number };
  private readonly server: Server;
  private current!: Served;
  /** The version served before the latest promotion: the comparison point for the quality watch. */
  private previous: ModelVersionRecord | undefined;
  private watch!: QualityWatch;
  private timer: NodeJS.Timeout | undefined;
  private switching: Promise<void> = Promise.resolve();
  private address = '';
  private recorder: ServingRecorder | undefined;
  readonly events: ServerEvent[] = [];

  constructor(private readonly options: ModelServerOptions) {
    this.ref = parseModelRef(options.model);
    this.model = options.model;
    this.name = options.name ?? this.ref.model;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => sendJson(res, 500, { error: String(error) }));
    });
  }

  get url(): string {
    return this.address;
  }

  get actor(): string {
    return `server:${this.name}`;
  }

  servedVersion(): number {
    return this.current.record.version;
  }

  async start(): Promise<this> {
    const record = await this.options.registry.resolve(this.options.model);
    const loaded = await loadModelVersion(
      this.options.registry,
      this.options.store,
      record,
      this.options.materializers,
    );
    await predictRows(loaded.bundle, this.smokeRows());
    this.current = { record, bundle: loaded.bundle, inFlight: 0, retired: false };
    this.watch = new QualityWatch(loaded.bundle.task, { ...defaultQualityWatch, ...this.options.quality });
    this.events.push({ at: Date.now(), kind: 'serve', version: record.version, detail: 'started' });
    if (this.options.monitoring) {
      const m = this.options.monitoring;
      this.recorder = new ServingRecorder(m.store, this.ref.model, m.windowMs);
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const { address, port } = this.server.address() as AddressInfo;
    this.address = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    const pollMs = this.options.pollMs ?? 1000;
    if (this.ref.alias !== undefined && pollMs > 0) {
      this.timer = setInterval(() => void this.refresh().catch(() => undefined), pollMs);
      this.timer.unref();
    }
    return this;
  }

  /** Checks the alias once and swaps to its version if it moved. Resolves when done. */
  refresh(): Promise<void> {
    this.switching = this.switching.then(async () => {
      if (this.ref.alias === undefined) return;
      const version = await this.options.registry.aliasVersion(this.ref.model, this.ref.alias);
      if (version === undefined || version === this.current.record.version) return;
      await this.deploy(version);
    });
    return this.switching;
  }

  /** Writes buffered serving statistics to the store now (they are written every second anyway). */
  async flushMonitoring(): Promise<void> {
    await this.recorder?.flush();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.recorder?.stop();
    await this.switching.catch(() => undefined);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
    await releaseModel(this.current.bundle);
  }

  /** Loads `version`, swaps it in, smoke-checks it over HTTP and rolls the alias back on failure. */
  private async deploy(version: number): Promise<void> {
    const before = this.current;
    const loaded = await loadModelVersion(
      this.options.registry,
      this.options.store,
      `${this.ref.model}@${version}`,
      this.options.materializers,
    );
    this.swap({ record: loaded.record, bundle: loaded.bundle, inFlight: 0, retired: false });
    this.events.push({ at: Date.now(), kind: 'swap', version, detail: `from v${before.record.version}` });
    const check = await this.smokeCheck(version);
    if (check.ok) {
      // A deliberate rollback is not judged against the version it replaced; a promotion is.
      const last = (await this.options.registry.history(this.ref.model, this.ref.alias)).at(-1);
      this.previous = last?.action === 'rollback' ? undefined : before.record;
      if (last?.action !== 'rollback') {
        await this.options.alert?.({
          kind: 'model_promoted',
          severity: 'info',
          title: `${this.ref.model}@${this.ref.alias} now serves v${version} (was v${before.record.version})`,
          text: `the model server ${this.name} swapped to v${version} and its smoke check passed`,
          fields: {
            model: this.ref.model,
            alias: this.ref.alias ?? null,
            version,
            from: before.record.version,
            server: this.url,
          },
        });
      }
      return;
    }
    const reason = `post-deploy check of v${version} failed: ${check.failed}/${check.total} smoke requests failed (${check.firstError})`;
    await this.rollback(reason, 'smoke-rollback', before.record);
  }

  private swap(next: Served): void {
    const old = this.current;
    this.current = next;
    old.retired = true;
    if (old.inFlight === 0 && old.bundle !== next.bundle) void releaseModel(old.bundle);
  }

  /** Moves the alias back in the registry (recording why) and serves the version it now points at. */
  private async rollback(
    reason: string,
    kind: ServerEvent['kind'],
    fallback: ModelVersionRecord,
  ): Promise<void> {
    const alias = this.ref.alias;
    let target = fallback;
    if (alias !== undefined) {
      const change = await this.options.registry.rollback(this.ref.model, {
        alias,
        reason,
        actor: this.actor,
      });
      target =
        change.version === fallback.version
          ? fallback
          : await this.options.registry.resolve(`${this.ref.model}@${change.version}`);
    }
    const loaded = await loadModelVersion(
      this.options.registry,
      this.options.store,
      target,
      this.options.materializers,
    );
    this.swap({ record: loaded.record, bundle: loaded.bundle, inFlight: 0, retired: false });
    this.previous = undefined;
    this.events.push({ at: Date.now(), kind, version: target.version, detail: reason });
    await this.options.alert?.({
      kind: 'model_rolled_back',
      severity: 'warning',
      title: `${this.ref.model}${alias === undefined ? '' : `@${alias}`} rolled back to v${target.version}`,
      text: reason,
      fields: {
        model: this.ref.model,
        alias: alias ?? null,
        version: target.version,
        cause: kind,
        server: this.url,
      },
    });
  }

  private smokeRows(): Row[] {
    return [...(this.options.smoke?.rows ?? [{}])];
  }

  private async smokeCheck(
    version: number,
  ): Promise<{ ok: boolean; total: number; failed: number; firstError: string }> {
    const rows = this.smokeRows();
    const bodies = [...rows.map((row) => ({ rows: [row] })), { rows }];
    let failed = 0;
    let firstError = '';
    for (const body of bodies) {
      try {
        const res = await fetch(`${this.url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json = (await res.json()) as { version?: number; predictions?: unknown[]; error?: string };
        if (res.status !== 200 || json.version !== version || json.predictions?.length !== body.rows.length) {
          throw new Error(json.error ?? `status ${res.status}, version ${json.version}`);
        }
      } catch (error) {
        failed++;
        firstError ||= (error as Error).message;
      }
    }
    const rate = failed / bodies.length;
    return { ok: rate <= (this.options.smoke?.maxErrorRate ?? 0), total: bodies.length, failed, firstError };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && path === '/health') {
        sendJson(res, 200, { status: 'ok', model: this.ref.model, version: this.current.record.version });
      } else if (req.method === 'GET' && path === '/metadata') {
        sendJson(res, 200, this.metadata());
      } else if (req.method === 'POST' && path === '/predict') {
        await this.predict(req, res);
      } else if (req.method === 'POST' && path === '/feedback') {
        await this.feedback(req, res);
      } else {
        sendJson(res, 404, {
          error: `no route ${req.method} ${path}`,
          routes: ['POST /predict', 'POST /feedback', 'GET /health', 'GET /metadata'],
        });
      }
    } catch (error) {
      if (error instanceof BadRequest) {
        sendJson(res, 400, { error: error.message, field: error.field, reason: error.reason });
      } else {
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private async predict(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The version is fixed when the request arrives: a swap meanwhile does not change its answer.
    const served = this.current;
    served.inFlight++;
    try {
      const rows = parsePredictBody(parseJson(await readBody(req)), served.bundle);
      const out = await predictRows(served.bundle, rows);
      const version = served.record.version;
      this.recorder?.recordInputs(version, baselineOf(served.bundle), rows);
      const ids = out.predictions.map((p) => {
        const id = `${version}-${randomUUID()}`;
        this.watch.remember(id, version, p);
        return id;
      });
      sendJson(res, 200, {
        model: this.ref.model,
        version,
        ids,
        predictions: out.predictions,
        ...(out.probabilities ? { probabilities: out.probabilities, classes: out.classes } : {}),
      });
    } finally {
      served.inFlight--;
      if (served.retired && served.inFlight === 0 && served.bundle !== this.current.bundle)
        void releaseModel(served.bundle);
    }
  }

  private async feedback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const items = parseFeedbackBody(parseJson(await readBody(req)), this.current.bundle.task);
    let accepted = 0;
    const unknown: string[] = [];
    for (const item of items) {
      const scored = this.watch.score(item.id, item.actual);
      if (scored === undefined) unknown.push(item.id);
      else {
        accepted++;
        this.recorder?.recordFeedback(scored.version, scored.stats);
      }
    }
    const verdict = await this.judge();
    sendJson(res, 200, {
      accepted,
      unknown,
      live: this.watch.live(this.current.record.version) ?? null,
      rolledBack: verdict?.rolledBack ?? false,
      ...(verdict ? { reason: verdict.reason } : {}),
    });
  }

  /** After feedback: rolls back when the new version is live-worse than the previous one. */
  private async judge(): Promise<{ rolledBack: boolean; reason: string } | undefined> {
    let result: { rolledBack: boolean; reason: string } | undefined;
    this.switching = this.switching.then(async () => {
      const previous = this.previous;
      if (!previous || previous.version === this.current.record.version) return;
      const metrics = previous.metrics as Record<string, unknown> | null;
      const fallback = metrics?.[this.watch.metricName];
      const verdict = this.watch.judge(
        this.current.record.version,
        previous.version,
        typeof fallback === 'number' ? fallback : undefined,
      );
      if (!verdict.degraded) return;
      try {
        await this.rollback(verdict.reason, 'quality-rollback', previous);
        result = { rolledBack: true, reason: verdict.reason };
      } catch (error) {
        // Nothing to roll back to (or the registry is unreachable): keep serving, say why.
        this.previous = undefined;
        result = {
          rolledBack: false,
          reason: `${verdict.reason}; rollback failed: ${(error as Error).message}`,
        };
      }
    });
    await this.switching;
    return result;
  }

  private metadata() {
    const { record, bundle } = this.current;
    return {
      name: this.name,
      model: this.ref.model,
      follows: this.ref.alias ?? null,
      version: record.version,
      runId: record.runId,
      artifactId: record.artifactId,
      adapter: bundle.adapter,
      task: bundle.task,
      label: bundle.label,
      classes: bundle.classes ?? null,
      inputSchema: bundle.inputSchema,
      metrics: record.metrics,
      live: this.watch.live(record.version) ?? null,
      inFlight: this.current.inFlight,
      previousVersion: this.previous?.version ?? null,
      events: this.events,
    };
  }
}

/** Starts a model server; see ModelServer. */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  if (!options.model) {
    throw new StrataError('no model to serve', {
      code: 'invalid_option',
      field: 'model',
      value: options.model,
      fix: 'pass NAME@alias, e.g. penguins@production',
    });
  }
  return new ModelServer(options).start();
}
