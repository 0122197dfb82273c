import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StrataError } from '@strata/core';
import {
  openDatabase,
  parseDatabaseUrl,
  redactUrl,
  type SqlStrataDatabase,
  storeIdOf,
} from '@strata/metadata';
import { strataDir, writeFileAtomic } from './project-config.js';

/** `.strata/stores.json`: the id of every metadata store this project has opened, by (redacted) URL. */
export const STORES_FILE = 'stores.json';

async function knownStores(root: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(join(strataDir(root), STORES_FILE), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const forget = (root: string) =>
  `restore the database from a backup (or \`strata import\` an export); to start over with an empty store on purpose, delete ${join(strataDir(root), STORES_FILE)}`;

/**
 * Opens the project's metadata store and checks it is the store the project used before. SQLite treats
 * a missing or 0-byte file as a new empty database, so a vanished or truncated `strata.db` would
 * otherwise be a silent fresh start with all history gone: it is refused before anything is created,
 * and a store whose id differs from the one remembered (another file put in its place) after opening.
 * The first open of a store records its id.
 */
export async function openProjectDatabase(root: string, url: string): Promise<SqlStrataDatabase> {
  const key = redactUrl(url);
  const known = (await knownStores(root))[key];
  const location = parseDatabaseUrl(url);
  if (known && location.kind === 'sqlite' && location.path !== ':memory:') {
    const size = existsSync(location.path) ? statSync(location.path).size : -1;
    if (size <= 0)
      throw new StrataError(
        `the metadata database ${location.path} ${size < 0 ? 'is gone' : 'is empty (0 bytes)'}, but this project's store (id ${known}) was there: opening it would start a new, empty history`,
        { code: 'store_missing', field: 'databaseUrl', value: location.path, fix: forget(root) },
      );
  }
  const database = await openDatabase(url);
  try {
    const id = await storeIdOf(database);
    if (known && id !== known)
      throw new StrataError(
        `the metadata database ${key} is not this project's store: its id is ${id ?? 'missing'}, the project's store was ${known}`,
        { code: 'store_replaced', field: 'databaseUrl', value: key, fix: forget(root) },
      );
    if (!known && id && existsSync(strataDir(root))) await remember(root, key, id);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function remember(root: string, key: string, id: string): Promise<void> {
  const stores = { ...(await knownStores(root)), [key]: id };
  // Best effort: a read-only project (a container mount) still opens its store.
  await writeFileAtomic(join(strataDir(root), STORES_FILE), `${JSON.stringify(stores, null, 2)}\n`).catch(
    () => undefined,
  );
}
