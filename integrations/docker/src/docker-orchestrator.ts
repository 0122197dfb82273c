import { hostname } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type Stack, stepRunId } from '@strata/core';
import {
  driveRun,
  finishedStepStatuses,
  type Orchestrator,
  processOwner,
  type RunOwner,
  reconcileRuns,
  type StepOutcome,
  type StepTask,
  type SubmittedRun,
  settleStepFromRow,
  stepEntryArgs,
  type Verdict,
} from '@strata/core/plugin';
import Docker from 'dockerode';
import { findWorkspaceRoot, strataOutsideWorkspace } from './build-context.js';
import { type DockerHost, dockerHost } from './docker-host.js';
import type { DockerOrchestratorConfig } from './flavor.js';
import { OWNER_LABEL, RUN_LABEL, STEP_LABEL } from './labels.js';
import { ensureProjectImage, type ProjectImage } from './project-image.js';
import { reapContainers } from './reaper.js';
import { type ContainerResult, runStepContainer } from './step-container.js';
import { resolveStepSettings } from './step-settings.js';

/**
 * Runs every step in its own container on a Docker engine. The container's command is the shared
 * step entry point: it loads the snapshot from the metadata store and runs the one StepRunner, so this
 * class only decides where steps run and records what the container itself could not (OOM kills,
 * timeouts, crashes before a result was written).
 */
export class DockerOrchestrator implements Orchestrator {
  readonly flavor = 'docker';
  readonly host: DockerHost;
  private client: Docker | undefined;
  /** The image of the last run, for tests and benchmarks. */
  lastImage: ProjectImage | undefined;

  constructor(
    private readonly config: DockerOrchestratorConfig,
    private readonly projectRoot: string,
    private readonly sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.host = dockerHost(config.host);
  }

  get docker(): Docker {
    this.client ??= new Docker(this.host.connection);
    return this.client;
  }

  async execute(run: SubmittedRun): Promise<{ detached: boolean }> {
    const { stack } = run;
    const workspaceRoot = this.config.workspaceRoot
      ? resolve(this.projectRoot, this.config.workspaceRoot)
      : findWorkspaceRoot(this.projectRoot);
    // Containers a killed submitter left behind are stopped before this run competes with them.
    await this.reapOrphans(run.stack);
    try {
      const image = await ensureProjectImage(this.docker, {
        baseImage: this.config.baseImage,
        repository: this.config.imageRepository,
        codeSource: this.config.codeSource,
        workspaceRoot,
        projectRoot: this.projectRoot,
        exclude: this.config.exclude,
        registry: this.config.registry,
      });
      this.lastImage = image;
      if (this.config.streamLogs)
        this.sink(
          `[docker] image ${image.ref} ${image.built ? `built in ${Math.round(image.buildMs)} ms` : 'reused'}`,
        );
      const runner = stack.stepRunner();
      const binds = this.binds(stack, workspaceRoot);
      // A step whose cache hit (or false condition) is decided here starts no container.
      await driveRun(run, runner, (task) => this.dispatch(run, task, image.ref, binds), {
        concurrency: this.config.concurrency,
        decideBeforeDispatch: true,
      });
    } catch (error) {
      // Nothing ran (image build failed, engine unreachable): end the run and its steps with the reason.
      const message = error instanceof Error ? error.message : String(error);
      for (const row of await stack.database.listStepRuns(run.runId)) {
        if (!finishedStepStatuses.includes(row.status))
          await stack.database.updateStepRun(row.id, {
            status: 'failed',
            endedAt: Date.now(),
            error: message,
          });
      }
      await stack.database.updateRun(run.runId, { status: 'failed', endedAt: Date.now(), error: message });
      throw error;
    } finally {
      await this.removeRunContainers(run.runId);
    }
    return { detached: false };
  }

  /**
   * Stops a run's containers (from any process: containers are found by their run label). The
   * submitter removes them when its steps settle; a submitter that is gone cannot, so `runs cancel` of
   * a crashed run reaps them (core calls `reap` for it).
   */
  async cancel(runId: string): Promise<void> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${RUN_LABEL}=${runId}`] },
    });
    await Promise.all(
      containers.map((c) =>
        this.docker
          .getContainer(c.Id)
          .stop({ t: 5 })
          .catch(() => undefined),
      ),
    );
  }

  /** Stops and removes the containers of these runs, or of every run whose starting process is gone. */
  async reap(runIds?: readonly string[], options: { dryRun?: boolean } = {}): Promise<string[]> {
    const reaped = await reapContainers(this.docker, {
      runIds,
      remove: this.config.removeContainers,
      ...(options.dryRun ? { dryRun: true } : {}),
    });
    return reaped.map((r) => r.line);
  }

  /** A step's container owner: alive while the container runs. */
  async judgeOwner(owner: RunOwner): Promise<Verdict> {
    if (owner.kind !== 'container') return { alive: 'unknown' };
    try {
      const state = (await this.docker.getContainer(owner.id).inspect()).State;
      return state.Running
        ? { alive: true }
        : { alive: false, reason: `container ${owner.id.slice(0, 12)} exited with code ${state.ExitCode}` };
    } catch (error) {
      return (error as { statusCode?: number }).statusCode === 404
        ? { alive: false, reason: `container ${owner.id.slice(0, 12)} is gone` }
        : { alive: 'unknown' };
    }
  }

  /** Reaps containers whose submitter died, and records their runs crashed (best effort). */
  private async reapOrphans(stack: Stack): Promise<void> {
    const reaped = await reapContainers(this.docker, { remove: this.config.removeContainers }).catch(
      () => [],
    );
    if (reaped.length === 0) return;
    for (const r of reaped) this.sink(`[docker] ${r.line}`);
    const runs = [];
    for (const id of new Set(reaped.map((r) => r.runId))) {
      const run = await stack.database.getRun(id);
      if (run) runs.push(run);
    }
    await reconcileRuns(stack.database, runs).catch(() => undefined);
  }

  async removeRunContainers(runId: string): Promise<void> {
    if (!this.config.removeContainers) return;
    const containers = await this.docker
      .listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } })
      .catch(() => []);
    await Promise.all(
      containers.map((c) =>
        this.docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
  }

  /** Paths the step process needs at the same absolute paths: the code, and local state (.strata, store, database). */
  private binds(stack: Stack, workspaceRoot: string): string[] {
    const binds: string[] = [];
    if (this.config.codeSource === 'mount') {
      binds.push(`${workspaceRoot}:${workspaceRoot}:ro`);
      const checkout = strataOutsideWorkspace(stack.stepCommand, workspaceRoot);
      if (checkout) binds.push(`${checkout}:${checkout}:ro`);
    }
    const writable = [join(this.projectRoot, '.strata')];
    const storeId = stack.artifactStore.identity;
    if (storeId.startsWith('local:')) writable.push(storeId.slice('local:'.length));
    const dbPath = sqlitePath(stack.database.url);
    if (dbPath && isAbsolute(dbPath)) writable.push(dirname(dbPath));
    for (const path of writable) {
      if (
        !writable.some((other) => other !== path && path.startsWith(`${other}/`)) &&
        !binds.some((b) => b.startsWith(`${path}:`))
      ) {
        binds.push(`${path}:${path}:rw`);
      }
    }
    return binds;
  }

  private async dispatch(
    run: SubmittedRun,
    task: StepTask,
    image: string,
    binds: string[],
  ): Promise<StepOutcome> {
    const { stack } = run;
    const node = run.snapshot.nodes.find((n) => n.id === task.nodeId)!;
    const index = task.mapIndex ?? -1;
    const id = stepRunId(task.runId, task.nodeId, index);
    const db = stack.database;
    const label = index >= 0 ? `${task.nodeId}[${index}]` : task.nodeId;
    let result: ContainerResult;
    try {
      const settings = resolveStepSettings(node.id, this.config.defaults, node.settings?.docker);
      const command = stack.stepCommand;
      if (!command || command.length === 0)
        throw new Error(
          'this stack has no step entry command; the docker orchestrator needs @strata/project',
        );
      const args = [...command.slice(1), ...stepEntryArgs(task, stack.name)];
      const attempts = Math.max(1, node.retry?.attempts ?? 1);
      result = await runStepContainer(
        this.docker,
        {
          image,
          // The image's node, not the host's binary path.
          cmd: ['node', ...args],
          workingDir: this.projectRoot,
          env: {
            ...settings.env,
            STRATA_PROJECT_ROOT: this.projectRoot,
            STRATA_STACK: stack.name,
            // Runtime only: a database URL from the environment may hold a password; it is never stored.
            ...(process.env.STRATA_DATABASE_URL
              ? { STRATA_DATABASE_URL: process.env.STRATA_DATABASE_URL }
              : {}),
          },
          labels: {
            [RUN_LABEL]: task.runId,
            [STEP_LABEL]: label,
            [OWNER_LABEL]: JSON.stringify(processOwner()),
          },
          // The step's owner: a reader can tell its container from the submitter that waits for it.
          onCreated: (containerId) =>
            db.setOwner({
              runId: task.runId,
              stepRunId: id,
              owner: {
                kind: 'container',
                id: containerId,
                host: this.host.local ? hostname() : this.host.url,
              },
              heartbeatAt: Date.now(),
            }),
          binds: [
            ...binds,
            ...settings.mounts.map((m) => `${m.source}:${m.target}:${m.readOnly ? 'ro' : 'rw'}`),
          ],
          ...(settings.nanoCpus ? { nanoCpus: settings.nanoCpus } : {}),
          ...(settings.memoryBytes ? { memoryBytes: settings.memoryBytes } : {}),
          deviceRequests: settings.deviceRequests,
          network: this.config.network,
          deadlineMs:
            node.timeoutMs === undefined
              ? undefined
              : node.timeoutMs * attempts +
                (node.retry?.maxDelayMs ?? node.retry?.delayMs ?? 0) * (attempts - 1) +
                this.config.timeoutGraceMs,
          remove: this.config.removeContainers,
          tailLines: this.config.errorTailLines,
          ...(this.config.streamLogs ? { onLine: (line: string) => this.sink(`[${label}] ${line}`) } : {}),
        },
        task.signal,
      );
    } catch (error) {
      const message = `container for step "${label}" could not run: ${error instanceof Error ? error.message : String(error)}`;
      await db.updateStepRun(id, { status: 'failed', endedAt: Date.now(), error: message });
      return { status: 'failed', error: message };
    }
    return this.outcome(run, task, id, node.timeoutMs, result);
  }

  /** The step's recorded outcome, or (when the container died before recording one) the reason it died. */
  private async outcome(
    run: SubmittedRun,
    task: StepTask,
    id: string,
    timeoutMs: number | undefined,
    result: ContainerResult,
  ): Promise<StepOutcome> {
    const db = run.stack.database;
    const tail =
      result.tail.length > 0
        ? `\n--- last ${result.tail.length} lines of container output ---\n${result.tail.join('\n')}`
        : '';
    const cancelled =
      result.aborted ||
      task.signal?.aborted === true ||
      (await db.getRun(task.runId))?.status === 'cancelled';
    // Core's one rule for a step that ran out of process (settle-step.ts), with what the engine saw.
    return settleStepFromRow(db, id, {
      timedOut: result.timedOut,
      oomKilled: result.oomKilled,
      cancelled,
      messages: {
        oomKilled: `container was killed: out of memory (OOMKilled, exit code ${result.exitCode}); raise settings.docker.memory${tail}`,
        timedOut: `step timed out after ${timeoutMs} ms: container killed${tail}`,
        cancelled: 'run cancelled: container stopped',
        died: `container exited with code ${result.exitCode} before recording a result${tail}`,
      },
    });
  }
}

function sqlitePath(url: string): string | undefined {
  if (/^postgres(ql)?:/i.test(url) || url === ':memory:') return undefined;
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
}
