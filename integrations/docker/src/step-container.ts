import type Docker from 'dockerode';
import { LogTail } from './log-tail.js';

export interface StepContainerSpec {
  readonly image: string;
  readonly cmd: readonly string[];
  readonly workingDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly binds: readonly string[];
  readonly nanoCpus?: number;
  readonly memoryBytes?: number;
  readonly deviceRequests: readonly object[];
  readonly network?: string | undefined;
  /** Kill the container after this long (the step's timeout plus a grace period). */
  readonly deadlineMs?: number | undefined;
  readonly remove: boolean;
  readonly onLine?: (line: string) => void;
  readonly tailLines: number;
  /** Called with the container's id once it exists (recorded as the step's owner). */
  readonly onCreated?: (id: string) => Promise<void>;
}

export interface ContainerResult {
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly tail: string[];
}

/** Seconds `docker stop` waits after SIGTERM before SIGKILL (the step records its own cancellation). */
export const STOP_GRACE_SECONDS = 5;

/**
 * Runs one container to its end: create, follow its output, start, wait. A deadline kills it; an abort
 * stops it (SIGTERM, then SIGKILL). The container is removed in every path when `remove` is set.
 */
export async function runStepContainer(
  docker: Docker,
  spec: StepContainerSpec,
  signal?: AbortSignal,
): Promise<ContainerResult> {
  const container = await docker.createContainer({
    Image: spec.image,
    Cmd: [...spec.cmd],
    WorkingDir: spec.workingDir,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...spec.labels },
    Tty: false,
    HostConfig: {
      Binds: [...spec.binds],
      ...(spec.nanoCpus ? { NanoCpus: spec.nanoCpus } : {}),
      // No swap beyond the limit: an over-allocating step is OOM-killed instead of thrashing.
      ...(spec.memoryBytes ? { Memory: spec.memoryBytes, MemorySwap: spec.memoryBytes } : {}),
      ...(spec.deviceRequests.length > 0 ? { DeviceRequests: spec.deviceRequests as never } : {}),
      ...(spec.network ? { NetworkMode: spec.network } : {}),
      Init: true,
    },
  });
  await spec.onCreated?.(container.id).catch(() => undefined);
  const output = new LogTail(spec.tailLines, spec.onLine);
  let timedOut = false;
  let aborted = false;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    aborted = true;
    container.stop({ t: STOP_GRACE_SECONDS }).catch(() => undefined);
  };
  try {
    if (signal?.aborted) return { exitCode: -1, oomKilled: false, timedOut: false, aborted: true, tail: [] };
    signal?.addEventListener('abort', stop, { once: true });
    const exited = container.wait({ condition: 'next-exit' });
    await container.start();
    const logs = (await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
    })) as unknown as NodeJS.ReadableStream;
    const drained = new Promise<void>((resolve) => {
      logs.on('end', resolve);
      logs.on('close', resolve);
      logs.on('error', () => resolve());
    });
    docker.modem.demuxStream(logs, output, output);
    if (spec.deadlineMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        container.kill().catch(() => undefined);
      }, spec.deadlineMs);
    }
    await exited;
    await drained;
    const state = (await container.inspect()).State;
    return { exitCode: state.ExitCode, oomKilled: state.OOMKilled, timedOut, aborted, tail: output.tail() };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
    if (spec.remove) await container.remove({ force: true }).catch(() => undefined);
  }
}
