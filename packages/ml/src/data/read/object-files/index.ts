import { StrataError, splitObjectUri } from '@strata/core';
import type { DataFile } from '../data-file.js';
import type { AzureFilesOptions } from './azure.js';
import type { GcsFilesOptions } from './gcs.js';
import type { S3FilesOptions } from './s3.js';

/**
 * How to reach each object store. Without options each SDK's own chain applies: for S3
 * AWS_ENDPOINT_URL(_S3), AWS_REGION and the credential chain; for GCS STORAGE_EMULATOR_HOST and
 * application default credentials; for Azure AZURE_STORAGE_CONNECTION_STRING.
 */
export interface ObjectFilesOptions {
  readonly s3?: S3FilesOptions;
  readonly gcs?: GcsFilesOptions;
  readonly azure?: AzureFilesOptions;
  /** Keep only names with a data extension (a prefix's other objects are skipped). */
  readonly accept?: (name: string) => boolean;
}

/** One object as the listing saw it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
}

export function isObjectUri(uri: string): boolean {
  return /^(s3|gs|az):\/\//.test(uri);
}

/**
 * The objects at an `s3://bucket/key`, `gs://bucket/key` or `az://container/blob` URI (one
 * object), or under a prefix (`.../prefix/`, every object below it, sorted by key), as DataFiles:
 * streamed front to back for CSV, JSON Lines and Arrow IPC, read by byte ranges for Parquet, so
 * ingest holds about one record batch (or row group) of an object in memory, never the object.
 * The SDKs are optional peer dependencies, loaded only when such a URI is read.
 */
export async function objectFiles(uri: string, options: ObjectFilesOptions = {}): Promise<DataFile[]> {
  const scheme = uri.slice(0, uri.indexOf(':'));
  const { container, key } = splitObjectUri(uri);
  if (container === '') {
    throw new StrataError(`${uri} names no bucket or container`, {
      code: 'invalid_param',
      field: 'data',
      value: uri,
      fix: `write it as ${scheme}://bucket/path/to/file.csv or ${scheme}://bucket/prefix/`,
    });
  }
  const accept = options.accept ?? (() => true);
  let files: DataFile[];
  try {
    switch (scheme) {
      case 's3':
        files = await (await import('./s3.js')).s3Files(container, key, accept, options.s3);
        break;
      case 'gs':
        files = await (await import('./gcs.js')).gcsFiles(container, key, accept, options.gcs);
        break;
      case 'az':
        files = await (await import('./azure.js')).azureFiles(container, key, accept, options.azure);
        break;
      default:
        throw new StrataError(`ingest cannot read ${uri}`, {
          code: 'source_scheme_unsupported',
          field: 'data',
          value: uri,
          fix: 'use a local path or an s3://, gs:// or az:// URI',
        });
    }
  } catch (error) {
    if (error instanceof StrataError) throw error;
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    throw new StrataError(`${uri} cannot be read: ${(error as Error).message.split('\n')[0]}`, {
      code: 'source_unreachable',
      field: 'data',
      value: uri,
      fix: missing
        ? `install the ${{ s3: '@aws-sdk/client-s3', gs: '@google-cloud/storage', az: '@azure/storage-blob' }[scheme as 's3']} package`
        : 'check the bucket or container, the key and the credentials (see the ingest docs for the variables each store reads)',
      cause: error,
    });
  }
  if (files.length === 0) {
    throw new StrataError(`no data objects at ${uri}`, {
      code: 'source_unreachable',
      field: 'data',
      value: uri,
      fix: 'check the key or prefix (a prefix ends with /); names need a data extension such as .csv or .parquet',
    });
  }
  return files;
}

/** Objects of a listing to read: the exact key when it is one object, else those under the prefix. */
export function selectListed(
  listed: readonly ListedObject[],
  key: string,
  accept: (name: string) => boolean,
): ListedObject[] {
  const exact = listed.find((o) => o.key === key);
  if (exact && !key.endsWith('/')) return [exact];
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  return listed
    .filter((o) => o.key.startsWith(prefix) && !o.key.endsWith('/') && accept(o.key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
