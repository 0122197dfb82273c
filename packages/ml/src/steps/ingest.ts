import { StrataError, step, t } from '@strata/core';
import { type RecordBatch, Table } from 'apache-arrow';
import { z } from 'zod';
import { type DatasetHeader, datasetBatches, hasDataExtension, type Span } from '../data/ingest.js';
import { emptyTable } from '../data/read/batch-builder.js';
import { DataFormatError, MissingColumnError } from '../data/read/data-error.js';
import type { DataFile } from '../data/read/data-file.js';
import { isObjectUri, objectFiles } from '../data/read/object-files/index.js';
import { sourceFiles } from '../data/read/source-files.js';
import { type SplitResult, splitBatches } from '../data/split.js';
import { type ColumnType, withValues } from '../data/table.js';

const COLUMN_TYPES = ['numeric', 'categorical', 'boolean'] as const satisfies readonly ColumnType[];

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
  /**
   * Column types to force instead of inferring them from the first 65,536 rows, e.g.
   * `{ zip: 'categorical' }` for a column that looks numeric at first and holds text later.
   */
  columnTypes: z.record(z.string(), z.enum(COLUMN_TYPES)).optional(),
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
    // Read, filter and split batch by batch as the file streams: the whole table is never held
    // beside its two sides (at 10M rows that was ~500 MB more at the peak).
    const spans: Span[] = [];
    const header: DatasetHeader = { names: [], types: {} };
    const wanted = [...(params.columns ?? []), ...params.requireColumns];
    let rows = 0;
    let checked = false;
    const missing = (column: string, names: readonly string[]) =>
      new StrataError(`ingest: column "${column}" is not in ${input.uri}`, {
        code: 'invalid_param',
        field: params.columns?.includes(column) ? 'columns' : 'requireColumns',
        value: column,
        fix: `use one of: ${names.join(', ')}`,
      });
    const check = (names: readonly string[]) => {
      checked = true;
      for (const column of wanted) if (!names.includes(column)) throw missing(column, names);
      // A type forced on a column that is not read is a typo, or a column left out of `columns`.
      const read = params.columns ? names.filter((name) => wanted.includes(name)) : names;
      for (const column of Object.keys(params.columnTypes ?? {})) {
        if (!read.includes(column)) {
          throw new StrataError(
            `ingest: columnTypes names "${column}", which is not read from ${input.uri}`,
            {
              code: 'invalid_param',
              field: 'columnTypes',
              value: column,
              fix: `use one of: ${read.join(', ')}${params.columns ? ' (or add it to columns)' : ''}`,
            },
          );
        }
      }
    };
    // Only the wanted columns are read (typed, parsed, decoded): an unselected column of an
    // unsupported type, or one whose type changes mid-file, is no concern of this pipeline.
    // The files' spans (sha256, bytes) still cover all of their bytes.
    const readOptions = {
      ...(params.format ? { format: params.format } : {}),
      ...(params.columns ? { columns: [...new Set(wanted)] } : {}),
      ...(params.columnTypes ? { schemaHint: params.columnTypes } : {}),
      // The columns are checked as soon as a file's header is read, before any row's error.
      onColumns: (names: readonly string[]) => {
        if (!checked) check(names);
      },
    };
    async function* kept(): AsyncGenerator<RecordBatch> {
      for await (const batch of datasetBatches(files, readOptions, spans, header)) {
        if (!checked) check(batch.schema.fields.map((f) => f.name));
        // Past the limit the file is still read to its end, so its span (rows, sha256) is whole.
        if (params.limit > 0 && rows >= params.limit) continue;
        let part = withValues(new Table([batch]), params.requireColumns);
        if (params.columns) part = part.select(params.columns);
        if (params.limit > 0 && rows + part.numRows > params.limit) part = part.slice(0, params.limit - rows);
        rows += part.numRows;
        if (part.numRows > 0) yield* part.batches;
      }
    }
    const splitOptions = {
      evalFraction: params.evalFraction,
      seed: params.seed,
      ...(params.splitKey ? { key: params.splitKey } : {}),
    };
    let split: SplitResult;
    try {
      split = await splitBatches(kept(), splitOptions, () => {
        // No row at all (a header alone, or every row filtered out): the empty table's two sides.
        if (!checked) check(header.names);
        let empty = emptyTable(header.names, header.types);
        if (params.columns) empty = empty.select(params.columns);
        return empty;
      });
    } catch (error) {
      // A selected column the file lacks: the same error as a batch without it, naming all of the
      // file's columns.
      if (error instanceof MissingColumnError) throw missing(error.column, error.names);
      // Malformed data is the user's input: exit 2 with the file, row and column, not a Strata bug.
      if (!(error instanceof DataFormatError)) throw error;
      // The readers' fix names their `schemaHint`; this step's users set types with `columnTypes`.
      const restated =
        error.typeHintColumn === undefined
          ? error
          : error.withFix(
              `${error.fix.replace(/schemaHint.*$/, '')}the ingest param columnTypes: { "${error.typeHintColumn}": "categorical" } (standardTraining's option columnTypes)`,
            );
      const { file, column } = restated.location;
      throw new StrataError(`ingest: ${restated.message}`, {
        code: 'malformed_data',
        field: column ?? file,
        value: restated.problem,
        fix: restated.fix,
      });
    }
    ctx.log({
      rows,
      trainRows: split.train.numRows,
      evalRows: split.eval.numRows,
      spans: spans.map((s) => ({ ...s })),
    });
    ctx.logger.info(`ingested ${rows} rows from ${spans.length} file(s)`);
    return { train: split.train, eval: split.eval, spans };
  },
});
