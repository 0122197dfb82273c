import type { Project } from '@strata/project';
import type { ProjectLibrary } from '../output/project.js';
import { readConnection, TOKEN_SECRET } from './connection.js';

/** The remote project when `strata connect` is in effect for this project, else undefined. */
export async function connectedProject(root: string, lib: ProjectLibrary): Promise<Project | undefined> {
  const connection = await readConnection(root);
  if (!connection) return undefined;
  const { join } = await import('node:path');
  const secrets = new lib.SecretStore(join(root, '.strata', 'secrets'));
  const token = (await secrets.get(TOKEN_SECRET))?.token;
  const { createClient } = await import('@strata/server/client');
  const { remoteProject } = await import('./remote-project.js');
  return remoteProject(root, createClient({ baseUrl: connection.url, ...(token ? { token } : {}) }));
}
