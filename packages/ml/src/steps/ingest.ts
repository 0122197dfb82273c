import { StrataError, step, t } from '@strata/core';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { hasDataExtension, readDataset, type Span } from '../data/ingest.js';
import { DataFormatError } from '../data/read/data-error.js';
import type { DataFile } from '../data/read/data-file.js';
import { isObjectUri, objectFiles } from '../data/read/object-files/index.js';
import { sourceFiles } from '../data/read/source-files.js';
import { splitByHash } from '../data/split.js';
import { selectRows } from '../data/table.js';

export const ingestParams = z.object({
  format: z.enum(['csv', 'json', 'jsonl', 'arrow', 'parquet']).optional(),
  /** Column whose hash decides the split (rows sharing it stay together); default the whole row. */
  splitKey: z.string().optional(),
  evalFraction: z.number().min(0).max(1).default(0.25),
  seed: z.union([z.number(), z.string()]).default(0),
  /** Keep only these columns (default all). */
  columns: z.array(z.string()).optional(),
  /** Keep only rows where every listed column has a value (e.g. the label). */
  requireColumns: z.array(z.string()).default([]),
  /** Keep at most this many rows (a small subset for tests); 0 keeps all. */
  limit: z.number().int().min(0).default(0),
});

/**
 * Reads the data, records its spans (file, rows, sha256) and splits it deterministically by hash. The
 * data is a source (`ingest({ data: source('data/train.csv') })`): a CSV, JSON, JSONL, Arrow IPC or
 * Parquet file, or a directory of them (streamed in record batches), local or on an object store
 * (`source('s3://bucket/train/')`, `gs://`, `az://`), read through the stack's reader for the scheme
 * (@strata/s3, gcs, azure: the artifact store's endpoint and credentials when it is of that cloud,
 * else the SDK's chain), pinned to the fingerprinted object versions. Its fingerprint is part of the
 * cache key, so new rows are a miss, and lineage records which data version every model trained on.
 */
export const ingest = step({
  name: 'ingest',
  inputs: { data: t.source() },
  outputs: { train: t.table<Table>(), eval: t.table<Table>(), spans: t.json<Span[]>() },
  params: ingestParams,
  async run({ data: input }, params, ctx) {
    // A local file or folder, or objects on S3/GCS/Azure (streamed; Parquet read by ranges).
    let files: string | DataFile[];
    if (input.path !== undefined) files = input.path;
    else if (input.objects) {
      // Through the stack's reader for the scheme (its store's credentials), pinned to the
      // fingerprinted versions: what the cache key and lineage recorded is what is read.
      const accept = params.format ? () => true : hasDataExtension;
      files = sourceFiles(await input.objects(ctx.signal), accept, ctx.signal);
      if (files.length === 0) {
        throw new StrataError(`no data objects at ${input.uri}`, {
          code: 'source_missing',
          field: 'data',
          value: input.uri,
          fix: 'names need a data extension such as .csv or .parquet (or pass `format`)',
        });
      }
    } else if (isObjectUri(input.uri)) {
      // A SourceValue made outside a stack's runner (no reader): the SDKs' own chains.
      files = await objectFiles(input.uri, params.format ? {} : { accept: hasDataExtension });
    } else {
      throw new StrataError(
        `ingest reads local files and s3://, gs://, az:// objects; ${input.uri} is neither`,
        {
          code: 'source_scheme_unsupported',
          field: 'data',
          value: input.uri,
          fix: 'copy the data to a local path or an object store first (a step that downloads it), or pass such a source',
        },
      );
    }
    const { table, spans } = await readDataset(files, params.format ? { format: params.format } : {}).catch(
      (error: unknown) => {
        // Malformed data is the user's input: exit 2 with the file, row and column, not a Strata bug.
        if (!(error instanceof DataFormatError)) throw error;
        const { file, column } = error.location;
        throw new StrataError(`ingest: ${error.message}`, {
          code: 'malformed_data',
          field: column ?? file,
          value: error.problem,
          fix: error.fix,
        });
      },
    );
    let data = table;
    for (const column of [...(params.columns ?? []), ...params.requireColumns]) {
      if (!data.schema.fields.some((f) => f.name === column)) {
        throw new StrataError(`ingest: column "${column}" is not in ${input.uri}`, {
          code: 'invalid_param',
          field: params.columns?.includes(column) ? 'columns' : 'requireColumns',
          value: column,
          fix: `use one of: ${data.schema.fields.map((f) => f.name).join(', ')}`,
        });
      }
    }
    if (params.columns) data = data.select(params.columns);
    if (params.requireColumns.length > 0) {
      const vectors = params.requireColumns.map((c) => data.getChild(c)!);
      const keep: number[] = [];
      for (let i = 0; i < data.numRows; i++) if (vectors.every((v) => v.get(i) !== null)) keep.push(i);
      data = selectRows(data, keep);
    }
    if (params.limit > 0 && data.numRows > params.limit)
      data = selectRows(
        data,
        Array.from({ length: params.limit }, (_, i) => i),
      );
    const split = splitByHash(data, {
      evalFraction: params.evalFraction,
      seed: params.seed,
      ...(params.splitKey ? { key: params.splitKey } : {}),
    });
    ctx.log({
      rows: data.numRows,
      trainRows: split.train.numRows,
      evalRows: split.eval.numRows,
      spans: spans.map((s) => ({ ...s })),
    });
    ctx.logger.info(`ingested ${data.numRows} rows from ${spans.length} file(s)`);
    return { train: split.train, eval: split.eval, spans };
  },
});
