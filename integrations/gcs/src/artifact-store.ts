import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Bucket, Storage } from '@google-cloud/storage';
import { StrataError } from '@strata/core';
import type { ArtifactStore, ObjectInfo, PutOptions } from '@strata/core/plugin';
import { normalizeObjectPrefix, prefixedObjectName } from '@strata/core/plugin';
import { errorCode, storeError } from './errors.js';
import { withRetry } from './retry.js';

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export interface GcsArtifactStoreOptions {
  readonly storage: Storage;
  readonly bucket: string;
  readonly prefix?: string;
  /** Custom endpoint (an emulator), part of the identity. */
  readonly endpoint?: string;
  readonly chunkSize?: number;
  readonly resumableThreshold?: number;
  /** Whole-upload attempts for spooled files, on top of the SDK's per-request retries (default 3). */
  readonly uploadAttempts?: number;
}

const SHA256_METADATA = 'strata-sha256';

/**
 * Artifacts in a Google Cloud Storage bucket. Small objects go up in one request, large or
 * unknown-size ones through a resumable upload sent in chunks (each chunk retried on its own); in
 * both cases the object exists only once the final request succeeds, so an interrupted upload is never
 * visible. The SDK computes CRC32C while uploading and compares it with the server's, and validates
 * the CRC32C the server reports on download; Strata's sha256 is kept as custom metadata.
 * There is no staged (upload-while-hashing, then copy) mode as s3 and azure have: when the server
 * loses a resumable session's offset, the SDK fails outside the stream (seen under the fault proxy:
 * the write then never settles) and a consumed stream cannot be re-sent, whereas a spooled file is
 * re-uploaded whole by withRetry.
 */
export class GcsArtifactStore implements ArtifactStore {
  readonly identity: string;
  readonly bucketName: string;
  private readonly bucket: Bucket;
  private readonly root: string;
  private readonly chunkSize: number;
  private readonly resumableThreshold: number;
  private readonly uploadAttempts: number;
  private bucketChecked = false;

  constructor(options: GcsArtifactStoreOptions) {
    this.bucketName = options.bucket;
    this.bucket = options.storage.bucket(options.bucket);
    this.root = normalizeObjectPrefix(options.prefix ?? '');
    this.chunkSize = options.chunkSize ?? 16 * 1024 * 1024;
    this.resumableThreshold = options.resumableThreshold ?? 8 * 1024 * 1024;
    this.uploadAttempts = options.uploadAttempts ?? 3;
    const base = `gs://${this.bucketName}/${this.root.replace(/\/$/, '')}`;
    this.identity = options.endpoint ? `${base}?endpoint=${encodeURIComponent(options.endpoint)}` : base;
  }

  async put(key: string, body: Readable, options?: PutOptions): Promise<void> {
    const file = this.bucket.file(prefixedObjectName(this.root, key));
    const resumable = options?.size === undefined || options.size >= this.resumableThreshold;
    const metadata = options?.sha256 ? { metadata: { [SHA256_METADATA]: options.sha256 } } : {};
    if (!resumable) {
      // Small bodies (below the resumable threshold, so at most a few MiB) are read into memory so
      // that a reset or 5xx can be retried as a whole: a consumed stream cannot be replayed.
      const bytes = await readAll(body);
      const upload = async () => {
        try {
          await file.save(bytes, {
            resumable: false,
            validation: 'crc32c',
            contentType: 'application/octet-stream',
            metadata,
          });
        } catch (error) {
          throw await this.explain(error, 'put', key);
        }
      };
      await withRetry(this.uploadAttempts, upload);
      return;
    }
    const sink = file.createWriteStream({
      resumable,
      chunkSize: this.chunkSize,
      validation: 'crc32c',
      contentType: 'application/octet-stream',
      metadata,
    });
    try {
      await pipeline(body, sink);
    } catch (error) {
      throw await this.explain(error, 'put', key);
    }
  }

  /** Uploads a spooled file (the SDK can re-read it on retry) and deletes it afterwards. */
  async putFile(key: string, path: string, options?: PutOptions): Promise<void> {
    const resumable = options?.size === undefined || options.size >= this.resumableThreshold;
    const upload = async () => {
      try {
        await this.bucket.upload(path, {
          destination: prefixedObjectName(this.root, key),
          resumable,
          ...(resumable ? { chunkSize: this.chunkSize } : {}),
          validation: 'crc32c',
          contentType: 'application/octet-stream',
          metadata: options?.sha256 ? { metadata: { [SHA256_METADATA]: options.sha256 } } : {},
        });
      } catch (error) {
        throw await this.explain(error, 'put', key);
      }
    };
    try {
      await withRetry(this.uploadAttempts, upload);
    } finally {
      await rm(path, { force: true });
    }
  }

  async get(key: string): Promise<Readable> {
    // The metadata call surfaces "not found" and permission errors before any byte is streamed.
    if (!(await this.stat(key))) {
      throw new StrataError(`artifact ${this.uri(key)} does not exist`, {
        code: 'not_found',
        field: 'key',
        value: key,
        fix: 'the bucket was cleaned or the store points at another prefix; re-run the producing step',
      });
    }
    return this.bucket.file(prefixedObjectName(this.root, key)).createReadStream({ validation: 'crc32c' });
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const [metadata] = await this.bucket.file(prefixedObjectName(this.root, key)).getMetadata();
      const sha256 = metadata.metadata?.[SHA256_METADATA];
      return { key, size: Number(metadata.size ?? 0), ...(typeof sha256 === 'string' ? { sha256 } : {}) };
    } catch (error) {
      if (errorCode(error).status === 404) {
        await this.checkBucket('stat');
        return undefined;
      }
      throw storeError(error, { operation: 'stat', name: this.bucketName, uri: this.uri(key) });
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let pageToken: string | undefined;
    do {
      let files: import('@google-cloud/storage').File[];
      let next: { pageToken?: string } | null | undefined;
      try {
        [files, next] = await this.bucket.getFiles({
          prefix: this.root + prefix,
          autoPaginate: false,
          maxResults: 1000,
          ...(pageToken ? { pageToken } : {}),
        });
      } catch (error) {
        throw await this.explain(error, 'list', prefix);
      }
      for (const file of files)
        yield { key: file.name.slice(this.root.length), size: Number(file.metadata.size ?? 0) };
      pageToken = next?.pageToken;
    } while (pageToken);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.bucket.file(prefixedObjectName(this.root, key)).delete({ ignoreNotFound: true });
    } catch (error) {
      throw await this.explain(error, 'delete', key);
    }
  }

  uri(key: string): string {
    return `gs://${this.bucketName}/${this.root}${key}`;
  }

  private async explain(error: unknown, operation: string, key: string): Promise<StrataError> {
    if (errorCode(error).status === 404) await this.checkBucket(operation);
    return storeError(error, { operation, name: this.bucketName, uri: this.uri(key) });
  }

  /** A 404 may mean the object or the bucket; tell them apart once per store. */
  private async checkBucket(operation: string): Promise<void> {
    if (this.bucketChecked) return;
    let exists: boolean;
    try {
      [exists] = await this.bucket.exists();
    } catch (error) {
      throw storeError(error, { operation, name: this.bucketName });
    }
    if (!exists)
      throw storeError(
        { code: 404, errors: [{ reason: 'bucket_not_found' }] },
        { operation, name: this.bucketName },
      );
    this.bucketChecked = true;
  }
}
