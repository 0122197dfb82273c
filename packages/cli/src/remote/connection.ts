import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `.strata/remote.json`: the server this project's read commands go through. The token is a secret. */
export interface Connection {
  readonly url: string;
}

export const TOKEN_SECRET = 'strata-server';

export function connectionFile(root: string): string {
  return join(root, '.strata', 'remote.json');
}

export async function readConnection(root: string): Promise<Connection | undefined> {
  const file = connectionFile(root);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as Connection;
}

export async function writeConnection(root: string, connection: Connection): Promise<void> {
  await writeFile(connectionFile(root), `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
}

export async function removeConnection(root: string): Promise<boolean> {
  const file = connectionFile(root);
  if (!existsSync(file)) return false;
  await rm(file);
  return true;
}
