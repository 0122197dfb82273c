import { type FileHandle, open, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { StrataError } from '@strata/core';
import type { ArtifactStore, ObjectInfo, PutOptions } from '@strata/core/plugin';
import { normalizeObjectPrefix, prefixedObjectName } from '@strata/core/plugin';
import { errorCode, storeError } from './errors.js';

export interface S3ArtifactStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix?: string;
  /** Custom endpoint, part of the identity so two servers with the same bucket name never share cache keys. */
  readonly endpoint?: string;
  readonly partSize?: number;
  readonly concurrency?: number;
  /**
   * `staged`: content-addressed artifacts are uploaded while they are hashed, to a staging key, then
   * published with a server-side copy (see writeBlob); `spool` (default): hashed into a local spool
   * file first, then uploaded. Staged saves the local disk pass; the server writes the bytes twice.
   */
  readonly uploadMode?: 'spool' | 'staged';
  /** Objects larger than this are copied part by part (UploadPartCopy); CopyObject takes at most 5 GiB. */
  readonly copyPartThreshold?: number;
}

const GiB = 1024 * 1024 * 1024;

/** Reads `length` bytes at `position` of `file` into the start of `buffer`; fails on a short file. */
async function readFully(
  file: FileHandle,
  buffer: Buffer,
  position: number,
  length: number,
): Promise<Buffer> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0)
      throw new Error(`spool file ended at byte ${position + done}, expected ${position + length}`);
    done += bytesRead;
  }
  return buffer.subarray(0, length);
}

/**
 * Signs `command`'s request with `x-amz-content-sha256: UNSIGNED-PAYLOAD` instead of a sha256 of the
 * body (the SDK's default over plain HTTP): for bodies whose sha256 Strata already knows and verifies
 * on every read, and that carry a CRC32 checksum the server checks.
 */
function unsignedPayload<C extends { middlewareStack: unknown }>(command: C): C {
  (command.middlewareStack as unknown as MiddlewareStackLike).add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'strataUnsignedPayload' },
  );
  return command;
}

interface MiddlewareStackLike {
  add(
    middleware: (
      next: (args: { request: unknown }) => Promise<unknown>,
    ) => (args: { request: unknown }) => Promise<unknown>,
    options: { step: 'build'; name: string },
  ): void;
}

const SHA256_METADATA = 'strata-sha256';

/**
 * Artifacts in an S3 bucket. A streamed put goes through lib-storage's Upload, a spooled file through
 * putFile's own part loop: one PutObject for small objects, a multipart upload otherwise; both publish
 * atomically (the object appears only on PutObject/CompleteMultipartUpload), and a failed multipart
 * upload is aborted so no parts linger. Memory stays bounded by partSize x concurrency. Every upload
 * request carries a CRC32 checksum the server checks; the SDK validates a whole-object checksum on
 * download where the server returns one; Strata's sha256 is stored as object metadata.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly identity: string;
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly root: string;
  private readonly partSize: number;
  private readonly concurrency: number;
  private readonly copyPartThreshold: number;
  private bucketChecked = false;
  /** Present in `staged` upload mode only: writeBlob uses it to publish staged uploads. */
  readonly copy?: (from: string, to: string, options?: PutOptions) => Promise<void>;

  constructor(options: S3ArtifactStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.root = normalizeObjectPrefix(options.prefix ?? '');
    this.partSize = options.partSize ?? 16 * 1024 * 1024;
    this.concurrency = options.concurrency ?? 4;
    this.copyPartThreshold = options.copyPartThreshold ?? 5 * GiB;
    if (options.uploadMode === 'staged') this.copy = (from, to, o) => this.copyObject(from, to, o);
    const base = `s3://${this.bucket}/${this.root.replace(/\/$/, '')}`;
    this.identity = options.endpoint ? `${base}?endpoint=${encodeURIComponent(options.endpoint)}` : base;
  }

  async put(key: string, body: Readable, options?: PutOptions): Promise<void> {
    const name = prefixedObjectName(this.root, key);
    const upload = new Upload({
      client: this.client,
      partSize: this.partSize,
      queueSize: this.concurrency,
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: name,
        Body: body,
        ContentType: 'application/octet-stream',
        ChecksumAlgorithm: 'CRC32',
        ...(options?.sha256 ? { Metadata: { [SHA256_METADATA]: options.sha256 } } : {}),
      },
    });
    try {
      await upload.done();
    } catch (error) {
      body.destroy();
      throw storeError(error, { operation: 'put', name: this.bucket, uri: this.uri(key) });
    }
  }

  /**
   * Uploads a spooled file and deletes it afterwards: one PutObject up to partSize, else a multipart
   * upload of `concurrency` parts at once, each read from the file straight into one of `concurrency`
   * reused part buffers (no stream, no per-part concatenation). Sent with UNSIGNED-PAYLOAD and a CRC32
   * checksum that the server verifies: the SigV4 signature still covers the headers (the CRC32 and the
   * length included), and writeBlob hashed these bytes with sha256 (they are the object's key, checked
   * again on every read), so a second sha256 over every part just for the signature would buy nothing.
   * Each request is retried by the SDK (the part buffer is kept until it succeeds); a failed multipart
   * upload is aborted, so the object appears only on CompleteMultipartUpload, complete.
   */
  async putFile(key: string, path: string, options?: PutOptions): Promise<void> {
    const name = prefixedObjectName(this.root, key);
    const metadata = options?.sha256 ? { [SHA256_METADATA]: options.sha256 } : {};
    let file: FileHandle | undefined;
    try {
      file = await open(path, 'r');
      const size = (await file.stat()).size;
      if (size <= this.partSize) {
        const body = await readFully(file, Buffer.allocUnsafe(size), 0, size);
        await this.client.send(
          unsignedPayload(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key: name,
              Body: body,
              ContentLength: size,
              ContentType: 'application/octet-stream',
              ChecksumAlgorithm: 'CRC32',
              Metadata: metadata,
            }),
          ),
        );
        return;
      }
      const handle = file;
      await this.multipartUpload(
        name,
        size,
        { ContentType: 'application/octet-stream', ChecksumAlgorithm: 'CRC32', Metadata: metadata },
        (partSize) => {
          const buffer = Buffer.allocUnsafe(partSize); // one per worker, reused for its parts
          return async ({ PartNumber, start, length, UploadId }) => {
            const part = await this.client.send(
              unsignedPayload(
                new UploadPartCommand({
                  Bucket: this.bucket,
                  Key: name,
                  UploadId,
                  PartNumber,
                  Body: await readFully(handle, buffer, start, length),
                  ContentLength: length,
                  ChecksumAlgorithm: 'CRC32',
                }),
              ),
            );
            return {
              PartNumber,
              ETag: part.ETag,
              ...(part.ChecksumCRC32 ? { ChecksumCRC32: part.ChecksumCRC32 } : {}),
            };
          };
        },
      );
    } catch (error) {
      throw storeError(error, { operation: 'put', name: this.bucket, uri: this.uri(key) });
    } finally {
      await file?.close().catch(() => {});
      await rm(path, { force: true });
    }
  }

  /**
   * Server-side copy with `sha256` as the target's metadata: one CopyObject up to copyPartThreshold
   * (5 GiB, S3's limit), above it a multipart upload of UploadPartCopy ranges, `concurrency` at once,
   * aborted on failure. Either way the target appears only when the copy is complete.
   */
  async copyObject(from: string, to: string, options?: PutOptions): Promise<void> {
    const source = prefixedObjectName(this.root, from);
    const target = prefixedObjectName(this.root, to);
    const copySource = `${this.bucket}/${encodeURIComponent(source).replace(/%2F/g, '/')}`;
    const metadata = options?.sha256 ? { [SHA256_METADATA]: options.sha256 } : {};
    const context = { operation: 'copy', name: this.bucket, uri: this.uri(to) };
    const size = options?.size ?? (await this.stat(from))?.size ?? 0;
    if (size <= this.copyPartThreshold) {
      try {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: target,
            CopySource: copySource,
            MetadataDirective: 'REPLACE',
            Metadata: metadata,
            ContentType: 'application/octet-stream',
          }),
        );
      } catch (error) {
        throw storeError(error, context);
      }
      return;
    }
    try {
      await this.multipartUpload(
        target,
        size,
        { Metadata: metadata, ContentType: 'application/octet-stream' },
        () =>
          async ({ PartNumber, start, length, UploadId }) => {
            const part = await this.client.send(
              new UploadPartCopyCommand({
                Bucket: this.bucket,
                Key: target,
                UploadId,
                PartNumber,
                CopySource: copySource,
                CopySourceRange: `bytes=${start}-${start + length - 1}`,
              }),
            );
            return { PartNumber, ETag: part.CopyPartResult?.ETag };
          },
      );
    } catch (error) {
      throw storeError(error, context);
    }
  }

  /**
   * A multipart upload of `size` bytes to `name`: parts of partSize (more when 10,000 would not do),
   * `concurrency` at once, each sent by the function `partSender` makes once per worker (given the
   * part size, so a worker can reuse one buffer). Completed when every part is in, aborted on any failure, so the object appears
   * only complete and no parts linger.
   */
  private async multipartUpload(
    name: string,
    size: number,
    create: Omit<CreateMultipartUploadCommandInput, 'Bucket' | 'Key'>,
    partSender: (
      partSize: number,
    ) => (part: {
      PartNumber: number;
      start: number;
      length: number;
      UploadId: string | undefined;
    }) => Promise<CompletedPart>,
  ): Promise<void> {
    let uploadId: string | undefined;
    try {
      const created = await this.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: name, ...create }),
      );
      uploadId = created.UploadId;
      const partSize = Math.max(this.partSize, Math.ceil(size / 10_000));
      const count = Math.ceil(size / partSize);
      const parts: CompletedPart[] = new Array(count);
      let next = 0;
      let failed = false;
      const worker = async () => {
        const send = partSender(partSize);
        for (let i = next++; i < count && !failed; i = next++) {
          const start = i * partSize;
          const length = Math.min(size, start + partSize) - start;
          parts[i] = await send({ PartNumber: i + 1, start, length, UploadId: uploadId });
        }
      };
      // Every worker settles before the abort below, so no part lands after it.
      const settled = await Promise.allSettled(
        Array.from({ length: Math.min(this.concurrency, count) }, () =>
          worker().catch((error: unknown) => {
            failed = true;
            throw error;
          }),
        ),
      );
      const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (rejected) throw rejected.reason;
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: name,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      if (uploadId) {
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: name, UploadId: uploadId }))
          .catch(() => {});
      }
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const name = prefixedObjectName(this.root, key);
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: name, ChecksumMode: 'ENABLED' }),
      );
      const body = response.Body;
      if (!(body instanceof Readable)) throw new Error('GetObject returned no stream body');
      return body;
    } catch (error) {
      if (errorCode(error).code === 'NoSuchKey') throw await this.notFound(key, 'get');
      throw storeError(error, { operation: 'get', name: this.bucket, uri: this.uri(key) });
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const name = prefixedObjectName(this.root, key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: name }));
      const sha256 = head.Metadata?.[SHA256_METADATA];
      return { key, size: head.ContentLength ?? 0, ...(sha256 ? { sha256 } : {}) };
    } catch (error) {
      const { code, status } = errorCode(error);
      if (code === 'NotFound' || code === 'NoSuchKey' || status === 404) {
        // HEAD has no body, so a missing bucket also looks like a plain 404: tell them apart once.
        await this.checkBucket('stat');
        return undefined;
      }
      if (status === 403) throw await this.explainForbidden(error, 'stat', key);
      throw storeError(error, { operation: 'stat', name: this.bucket, uri: this.uri(key) });
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: this.root + prefix },
    );
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (!object.Key) continue;
          yield { key: object.Key.slice(this.root.length), size: object.Size ?? 0 };
        }
      }
    } catch (error) {
      throw storeError(error, { operation: 'list', name: this.bucket, uri: this.uri(prefix) });
    }
  }

  async delete(key: string): Promise<void> {
    const name = prefixedObjectName(this.root, key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: name }));
    } catch (error) {
      throw storeError(error, { operation: 'delete', name: this.bucket, uri: this.uri(key) });
    }
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${this.root}${key}`;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async checkBucket(operation: string): Promise<void> {
    if (this.bucketChecked) return;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      this.bucketChecked = true;
    } catch (error) {
      const { code, status } = errorCode(error);
      if (code === 'NotFound' || code === 'NoSuchBucket' || status === 404) {
        throw storeError({ name: 'NoSuchBucket' }, { operation, name: this.bucket });
      }
      throw storeError(error, { operation, name: this.bucket });
    }
  }

  /**
   * HEAD responses carry no error body, so a 403 cannot tell bad credentials from a missing grant;
   * one ListObjectsV2 call returns the real code (SignatureDoesNotMatch, AccessDenied, ...).
   */
  private async explainForbidden(error: unknown, operation: string, key: string): Promise<StrataError> {
    try {
      await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.root, MaxKeys: 1 }),
      );
    } catch (probe) {
      if (errorCode(probe).status === 403)
        return storeError(probe, { operation, name: this.bucket, uri: this.uri(key) });
    }
    return storeError(error, { operation, name: this.bucket, uri: this.uri(key) });
  }

  private async notFound(key: string, operation: string): Promise<StrataError> {
    await this.checkBucket(operation);
    return new StrataError(`artifact ${this.uri(key)} does not exist`, {
      code: 'not_found',
      field: 'key',
      value: key,
      fix: 'the bucket was cleaned or the store points at another prefix; re-run the producing step',
    });
  }
}
