import { createHash } from 'node:crypto';
import type { JsonValue } from '@strata/core';
import { StrataError } from '@strata/core';
import type { CacheParts } from '@strata/core/plugin';
import { chunks, type Db, type RunNow } from './context.js';

/**
 * A step's code identity: the `files` (local modules, path -> sha256) and `packages` (installed
 * versions) of its cache parts. It is the same for every execution of a node, and hundreds of entries
 * in a big project, so it is stored once in `code_identities` (migration 0008), keyed by the sha256 of
 * its JSON text (the first 32 hex digits), and a step row's cache_parts holds `"identity":"<that id>"`
 * in its place. Reading
 * a step row puts `files` and `packages` back (rows written before 0008 keep them inline, and read
 * as they are).
 */
export interface CodeIdentity {
  readonly id: string;
  /** `{"files":{...},"packages":{...}}` (`packages` absent when the parts have none). */
  readonly body: string;
}

/** The identity made for a `files` object, with the `packages` object it was made with. */
const byFiles = new WeakMap<object, { packages: object | undefined; identity: CodeIdentity }>();

/** The code identity of these parts, or undefined when they have none (an explicit `version:`). */
export function codeIdentityOf(parts: CacheParts): CodeIdentity | undefined {
  const { files, packages } = parts;
  if (files === undefined) return undefined;
  // The runner hands the same objects for every execution of a node: the text and its hash are made once.
  const known = byFiles.get(files);
  if (known && known.packages === packages) return known.identity;
  const body = `{"files":${JSON.stringify(files)}${packages === undefined ? '' : `,"packages":${JSON.stringify(packages)}`}}`;
  // 128 bits of the sha256: as unique as the whole for this use, and 32 characters fewer in every row.
  const identity = { id: createHash('sha256').update(body).digest('hex').slice(0, 32), body };
  byFiles.set(files, { packages, identity });
  return identity;
}

/** The distinct code identities of these parts (a group of steps of one node shares one). */
export function codeIdentities(parts: Iterable<CacheParts | null | undefined>): CodeIdentity[] {
  const out = new Map<string, CodeIdentity>();
  for (const p of parts) {
    const identity = p ? codeIdentityOf(p) : undefined;
    if (identity && !out.has(identity.id)) out.set(identity.id, identity);
  }
  return [...out.values()];
}

const INSERT_IDENTITY =
  'insert into "code_identities" ("id", "body", "created_at") values (?, ?, ?) on conflict ("id") do nothing';

/** Records identities (plain SQL, in the caller's transaction); one already stored is left as it is. */
export function insertIdentitiesSql(run: RunNow, identities: readonly CodeIdentity[]): void {
  const now = Date.now();
  for (const i of identities) run(INSERT_IDENTITY, [i.id, i.body, now]);
}

/** Records identities through Kysely (PostgreSQL, and SQLite writes outside the completion path). */
export async function insertIdentities(db: Db, identities: readonly CodeIdentity[]): Promise<void> {
  if (identities.length === 0) return;
  const now = Date.now();
  await db
    .insertInto('code_identities')
    .values(identities.map((i) => ({ id: i.id, body: i.body, created_at: now })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * Identities read back, by id. They are content-addressed (the id is the hash of the body), so an
 * entry never goes stale, whichever store it was read from; the map is only bounded in size.
 */
const loaded = new Map<string, StoredIdentity>();
const MAX_LOADED = 4096;
const REFERENCE = '"identity":"';

/** The identity id a stored cache_parts text refers to, or undefined (none, or inline parts). */
function referencedId(text: string | null): string | undefined {
  if (text === null) return undefined;
  const at = text.lastIndexOf(REFERENCE);
  if (at < 0) return undefined;
  const start = at + REFERENCE.length;
  const end = text.indexOf('"', start);
  return end < 0 ? undefined : text.slice(start, end);
}

/** Identities by id, as loadIdentities gives them to rowToStepRun. */
export type LoadedIdentities = ReadonlyMap<string, StoredIdentity>;
type StoredIdentity = { files: JsonValue; packages?: JsonValue };

/**
 * The identities these step rows refer to: those read before in this process, the rest in one query.
 * The result holds every one the rows need (the process-wide map may be cut back meanwhile by another
 * read), for rowToStepRun.
 */
export async function loadIdentities(
  db: Db,
  rows: readonly { readonly cache_parts: string | null }[],
): Promise<LoadedIdentities> {
  const found = new Map<string, StoredIdentity>();
  const missing = new Set<string>();
  for (const row of rows) {
    const id = referencedId(row.cache_parts);
    if (id === undefined || found.has(id)) continue;
    const known = loaded.get(id);
    if (known) found.set(id, known);
    else missing.add(id);
  }
  if (missing.size === 0) return found;
  if (loaded.size + missing.size > MAX_LOADED) loaded.clear();
  for (const chunk of chunks([...missing], 500)) {
    const stored = await db
      .selectFrom('code_identities')
      .select(['id', 'body'])
      .where('id', 'in', chunk)
      .execute();
    for (const row of stored) {
      try {
        const identity = JSON.parse(row.body) as StoredIdentity;
        loaded.set(row.id, identity);
        found.set(row.id, identity);
      } catch {
        // Left out: the step row that refers to it reports it corrupt (withIdentity).
      }
    }
  }
  return found;
}

/**
 * A stored cache parts document with its identity put back in place of the reference (`files`, then
 * `packages`); other documents as they are. A reference to an identity that is not stored (or not
 * loaded with loadIdentities) is a `record_corrupt` naming the row.
 */
export function withIdentity(doc: JsonValue, stepRunId: string, identities: LoadedIdentities): JsonValue {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return doc;
  const id = doc.identity;
  if (id === undefined) return doc;
  const identity = typeof id === 'string' ? identities.get(id) : undefined;
  if (!identity) {
    throw new StrataError(
      `step_runs.cache_parts of ${stepRunId} refers to code identity ${JSON.stringify(id)}, which is not in code_identities`,
      {
        code: 'record_corrupt',
        field: 'step_runs.cache_parts.identity',
        value: stepRunId,
        fix: 'the stored rows were changed outside Strata or are damaged: restore the metadata store from a backup, or from a file written by `strata export` and loaded with `strata import`',
      },
    );
  }
  const { identity: _, ...rest } = doc;
  return { ...rest, ...identity };
}
