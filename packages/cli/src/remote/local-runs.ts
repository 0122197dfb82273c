import { StrataError } from '@strata/core';
import type { ProjectLibrary } from '../output/project.js';
import { readConnection, TOKEN_SECRET } from './connection.js';

/**
 * `strata connect` sends the read commands to a server, but `strata run` still runs here and records
 * the run in this project's own store: runs execute where the code is, and the API takes no runs. When
 * that store is not the one the server reads (a laptop with its own SQLite file), the run id printed
 * was unknown to the connected `runs show`, with nothing saying why. These say where the run went.
 */

/** How to read a run of this project's own store while connected. */
const SEE_IT = "see it with `strata ui` (serves this project's own store) or after `strata disconnect`";

/**
 * After `strata run` submitted `runId` to `storeUrl`: a note for stderr when the project is connected
 * and the server does not have the run (or does not answer); undefined when it has it (the server reads
 * the same store) or the project is not connected. Never throws: the run is what matters.
 */
export async function connectedRunNote(
  root: string,
  runId: string,
  storeUrl: string,
  lib: ProjectLibrary,
): Promise<string | undefined> {
  try {
    const connection = await readConnection(root);
    if (!connection) return undefined;
    const { join } = await import('node:path');
    const token = (await new lib.SecretStore(join(root, '.strata', 'secrets')).get(TOKEN_SECRET))?.token;
    const { createClient } = await import('@strata/server/client');
    const api = createClient({
      baseUrl: connection.url,
      ...(token ? { token } : {}),
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(3000) }),
    });
    let why: string;
    try {
      await api.run(runId);
      return undefined;
    } catch (error) {
      const status = (error as { status?: number }).status;
      const message = (error as Error).message.split('\n')[0];
      why =
        status === 404
          ? 'it does not have the run'
          : status === undefined || status === 0
            ? `it does not answer: ${message}`
            : `it answered ${status}: ${message}`;
    }
    return (
      `note: run ${runId} ran here and is recorded in this project's own store (${storeUrl}), not on ` +
      `${connection.url}, the server this project is connected to (${why}). \`strata runs show ${runId}\` ` +
      `reads the server and will not find it; ${SEE_IT}.\n`
    );
  } catch {
    return undefined;
  }
}

/**
 * A connected read command refused a run id the server does not know: when this project's own store
 * has that run (it was run here while connected), say so instead of only "does not exist".
 */
export async function explainLocalRun(error: unknown, root: string, lib: ProjectLibrary): Promise<unknown> {
  const e = error as { code?: unknown; value?: unknown; message?: unknown };
  if (e?.code !== 'unknown_run' || typeof e.value !== 'string') return error;
  const runId = e.value;
  try {
    const connection = await readConnection(root);
    const project = await lib.openProject();
    try {
      if (!(await project.database.getRun(runId))) return error;
      return new StrataError(
        `run ${runId} is not on the server this project is connected to (${connection?.url ?? 'the server'}); ` +
          `it is in this project's own store (${project.database.url}), where \`strata run\` records runs`,
        { code: 'unknown_run', field: 'run', value: runId, fix: SEE_IT },
      );
    } finally {
      await project.close();
    }
  } catch {
    return error;
  }
}
