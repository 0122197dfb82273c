import { z } from 'zod';
import type { JsonValue } from '../metadata/records.js';
import type { Snapshot } from '../pipeline/snapshot.js';
import { builtOnce } from '../util/built-once.js';
import type { Accepting, Defined } from './defined.js';
import { parseStored, type StoredKind, withVersion } from './stored-version.js';

/**
 * The schema of a stored snapshot body (pipeline/snapshot.ts is the type). Objects are loose: a field a
 * newer minor version adds is kept, not refused; a removed or retyped field is a new schemaVersion.
 */
/** Built on first use (builtOnce): a run that reads no stored snapshot never builds it. */
function buildSnapshotBodySchema() {
  const record = <T extends z.ZodType>(value: T) => z.record(z.string(), value);
  const artifactKind = z.union([
    z.enum([
      'any',
      'json',
      'string',
      'number',
      'boolean',
      'bytes',
      'typed-array',
      'table',
      'file',
      'directory',
      'source',
    ]),
    z.templateLiteral(['custom:', z.string()]),
  ]);
  const inputBinding = z.looseObject({ node: z.string(), output: z.string(), collect: z.boolean() });
  const outputSpec = z.looseObject({ kind: artifactKind, materializer: z.string().optional() });
  const settings = record(record(z.unknown()));

  const snapshotNode = z.looseObject({
    id: z.string().min(1),
    step: z.string().min(1),
    codeHash: z.string(),
    code: z.looseObject({ files: record(z.string()), packages: record(z.string()) }).optional(),
    version: z.string().optional(),
    params: record(z.unknown()),
    inputs: record(inputBinding),
    sources: record(z.looseObject({ uri: z.string(), glob: z.string().optional() })).optional(),
    outputs: record(outputSpec),
    after: z.array(z.string()),
    map: z.looseObject({ over: z.string(), concurrency: z.number().optional() }).optional(),
    condition: z.looseObject({ node: z.string(), output: z.string(), predicate: z.string() }).optional(),
    cache: z.looseObject({
      enabled: z.boolean(),
      ttlSeconds: z.number().optional(),
      strict: z.boolean().optional(),
    }),
    retry: z
      .looseObject({
        attempts: z.number(),
        delayMs: z.number().optional(),
        backoff: z.number().optional(),
        maxDelayMs: z.number().optional(),
      })
      .optional(),
    timeoutMs: z.number().optional(),
    settings: settings.optional(),
  });

  const stepOverride = z.looseObject({
    params: record(z.unknown()).optional(),
    settings: settings.optional(),
    cache: z
      .union([
        z.boolean(),
        z.looseObject({ enabled: z.boolean().optional(), ttlSeconds: z.number().optional() }),
      ])
      .optional(),
  });

  return z.looseObject({
    id: z.string().min(1),
    pipeline: z.string().min(1),
    module: z.string(),
    params: record(z.unknown()),
    runName: z.string().optional(),
    overrides: record(stepOverride).optional(),
    nodes: z.array(snapshotNode),
    strataVersion: z.string(),
  });
}
const snapshotBodySchema = builtOnce(buildSnapshotBodySchema);

// Compile-time ties both ways: every parsed body is a Snapshot, and every Snapshot passes the schema.
type Schema = ReturnType<typeof buildSnapshotBodySchema>;
type Parsed = Defined<z.output<Schema>>;
export type SnapshotSchemaMatches = [
  Parsed extends Snapshot ? true : never,
  Snapshot extends Accepting<z.input<Schema>> ? true : never,
];
const _matches: SnapshotSchemaMatches = [true, true];
void _matches;

/** Version 1: the body as pipeline/snapshot.ts declares it (rows stored before versioning included). */
export const snapshotStored: StoredKind = { what: 'snapshot', field: 'snapshots.body', version: 1 };

export function storeSnapshotBody(snapshot: Snapshot): JsonValue {
  return withVersion(snapshotStored, snapshot);
}

/** A stored snapshot body, checked; `id` names it in errors. */
export function parseSnapshotBody(json: JsonValue, id: string): Snapshot {
  return parseStored(snapshotStored, snapshotBodySchema(), json, id);
}
