import { rm, stat as statFile } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { StrataError } from '@strata/core';
import type { ArtifactStore, ObjectInfo, PutOptions } from '@strata/core/plugin';
import { normalizeObjectPrefix, prefixedObjectName } from '@strata/core/plugin';
import { errorCode, storeError } from './errors.js';
import { verifyMd5 } from './verify-md5.js';

export interface AzureArtifactStoreOptions {
  readonly service: BlobServiceClient;
  readonly container: string;
  readonly prefix?: string;
  readonly blockSize?: number;
  readonly concurrency?: number;
  /**
   * `staged` (default): content-addressed artifacts are uploaded while they are hashed, to a staging
   * blob, then published with a server-side copy; `spool`: hashed into a local spool file first,
   * then uploaded (for identities that may not read the copy source, e.g. some SAS scopes).
   */
  readonly uploadMode?: 'spool' | 'staged';
}

/** A blob written by put, or a copy that has completed (a pending or failed copy is not an object). */
function copyComplete(status: string | undefined): boolean {
  return status === undefined || status === 'success';
}

/**
 * uploadStream's third argument counts buffers, and it uploads only ceil(3/4 of them) at once: the
 * fewest buffers that give `concurrency` blocks in flight, as uploadFile has (4 -> 5 buffers).
 */
function streamBuffers(concurrency: number): number {
  let buffers = concurrency;
  while (Math.ceil((buffers / 4) * 3) < concurrency) buffers++;
  return buffers;
}

/** Azure metadata names must be C# identifiers. */
const SHA256_METADATA = 'strata_sha256';

/**
 * Artifacts in an Azure Blob container. Uploads stage blocks (each retried on its own) and publish
 * them with one Put Block List, which is atomic: an interrupted upload leaves only uncommitted blocks
 * that the service discards, never a visible blob. Memory stays bounded by blockSize x (concurrency + 1).
 * Content-addressed artifacts are uploaded while they are hashed, to a staging blob that `copy`
 * then publishes under their sha256 (see writeBlob): no spool file, no second pass over the bytes.
 * Downloads verify the blob's Content-MD5 when the service has one (single-shot uploads) and resume
 * from the last byte on a dropped connection; Strata's sha256 is kept as blob metadata.
 */
export class AzureArtifactStore implements ArtifactStore {
  readonly identity: string;
  readonly containerName: string;
  private readonly container: ContainerClient;
  private readonly root: string;
  private readonly blockSize: number;
  private readonly concurrency: number;
  /** Present in `staged` upload mode only: writeBlob uses it to publish staged uploads. */
  readonly copy?: (from: string, to: string, options?: PutOptions) => Promise<void>;

  constructor(options: AzureArtifactStoreOptions) {
    this.containerName = options.container;
    this.container = options.service.getContainerClient(options.container);
    this.root = normalizeObjectPrefix(options.prefix ?? '');
    this.blockSize = options.blockSize ?? 8 * 1024 * 1024;
    this.concurrency = options.concurrency ?? 4;
    if ((options.uploadMode ?? 'staged') === 'staged')
      this.copy = (from, to, o) => this.copyObject(from, to, o);
    const account = options.service.accountName || new URL(options.service.url).host;
    this.identity = `azure://${account}/${this.containerName}/${this.root.replace(/\/$/, '')}`;
  }

  private blob(key: string) {
    return this.container.getBlockBlobClient(prefixedObjectName(this.root, key));
  }

  async put(key: string, body: Readable, options?: PutOptions): Promise<void> {
    try {
      await this.blob(key).uploadStream(body, this.blockSize, streamBuffers(this.concurrency), {
        blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
        ...(options?.sha256 ? { metadata: { [SHA256_METADATA]: options.sha256 } } : {}),
      });
    } catch (error) {
      body.destroy();
      throw storeError(error, { operation: 'put', name: this.containerName, uri: this.uri(key) });
    }
  }

  /** Uploads a spooled file with parallel block uploads (one Put Blob if small) and deletes it afterwards. */
  async putFile(key: string, path: string, options?: PutOptions): Promise<void> {
    try {
      await this.blob(key).uploadFile(path, {
        blockSize: this.blockSize,
        concurrency: this.concurrency,
        maxSingleShotSize: Math.min(this.blockSize, (await statFile(path)).size + 1),
        blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
        ...(options?.sha256 ? { metadata: { [SHA256_METADATA]: options.sha256 } } : {}),
      });
    } catch (error) {
      throw storeError(error, { operation: 'put', name: this.containerName, uri: this.uri(key) });
    } finally {
      await rm(path, { force: true });
    }
  }

  /**
   * Server-side copy (Copy Blob; within one account Azure and Azurite complete it at once without
   * moving bytes), so writeBlob uploads while hashing and publishes with this instead of spooling
   * (`staged` upload mode).
   * Until a copy has succeeded the target reads as absent (stat/get/list check its copy status).
   */
  async copyObject(from: string, to: string, options?: PutOptions): Promise<void> {
    try {
      const poller = await this.blob(to).beginCopyFromURL(this.blob(from).url, {
        intervalInMs: 250,
        ...(options?.sha256 ? { metadata: { [SHA256_METADATA]: options.sha256 } } : {}),
      });
      const result = await poller.pollUntilDone();
      if (result.copyStatus !== 'success') {
        throw Object.assign(new Error(`copy ended with status ${result.copyStatus}`), {
          code: 'CopyFailed',
        });
      }
    } catch (error) {
      throw storeError(error, { operation: 'copy', name: this.containerName, uri: this.uri(to) });
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      const response = await this.blob(key).download(0, undefined, { maxRetryRequests: 5 });
      const body = response.readableStreamBody as Readable | undefined;
      if (!body) throw new Error('download returned no stream body');
      if (!copyComplete(response.copyStatus)) {
        body.destroy();
        throw Object.assign(new Error('blob copy not complete'), { details: { errorCode: 'BlobNotFound' } });
      }
      if (!response.contentMD5) return body;
      // stream.pipeline forwards a dropped connection of the source to the reader.
      return pipeline(body, verifyMd5(response.contentMD5, this.uri(key)), () => {});
    } catch (error) {
      if (errorCode(error).code === 'BlobNotFound') {
        throw new StrataError(`artifact ${this.uri(key)} does not exist`, {
          code: 'not_found',
          field: 'key',
          value: key,
          fix: 'the container was cleaned or the store points at another prefix; re-run the producing step',
        });
      }
      throw storeError(error, { operation: 'get', name: this.containerName, uri: this.uri(key) });
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const props = await this.blob(key).getProperties();
      if (!copyComplete(props.copyStatus)) return undefined;
      const sha256 = props.metadata?.[SHA256_METADATA];
      return { key, size: props.contentLength ?? 0, ...(sha256 ? { sha256 } : {}) };
    } catch (error) {
      const { code, status } = errorCode(error);
      if (code === 'BlobNotFound' || (status === 404 && code !== 'ContainerNotFound')) return undefined;
      throw storeError(error, { operation: 'stat', name: this.containerName, uri: this.uri(key) });
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const pages = this.container.listBlobsFlat({ prefix: this.root + prefix }).byPage({ maxPageSize: 1000 });
    try {
      for await (const page of pages) {
        for (const item of page.segment.blobItems) {
          if (!copyComplete(item.properties.copyStatus)) continue;
          yield { key: item.name.slice(this.root.length), size: item.properties.contentLength ?? 0 };
        }
      }
    } catch (error) {
      throw storeError(error, { operation: 'list', name: this.containerName, uri: this.uri(prefix) });
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.blob(key).deleteIfExists();
    } catch (error) {
      throw storeError(error, { operation: 'delete', name: this.containerName, uri: this.uri(key) });
    }
  }

  uri(key: string): string {
    return `${this.identity.replace(/\/$/, '')}/${key}`;
  }
}
