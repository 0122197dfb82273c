import { randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  open as openCallback,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { StrataError } from '@strata/core';
import type { ArtifactStore, ObjectInfo, PutOptions } from '@strata/core/plugin';

/**
 * A directory as an artifact store. Writes land in `.tmp/` first and are renamed into place, so a
 * reader never sees a partial file and a crash leaves only temp files behind.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly identity: string;
  readonly spoolDir: string;
  /** The spool folder exists (created on the first put). */
  private spoolReady = false;

  constructor(readonly root: string) {
    this.root = resolve(root);
    this.identity = `local:${this.root}`;
    this.spoolDir = join(this.root, '.tmp');
  }

  private path(key: string): string {
    const full = resolve(this.root, key);
    if (!full.startsWith(this.root + sep) || key.startsWith('.tmp/') || key.length === 0) {
      throw new StrataError(`invalid artifact key "${key}"`, {
        code: 'invalid_key',
        field: 'key',
        value: key,
        fix: 'use a relative path inside the store without ".." segments',
      });
    }
    return full;
  }

  async put(key: string, body: Readable, options?: PutOptions): Promise<void> {
    const target = this.path(key);
    if (!this.spoolReady) {
      await mkdir(this.spoolDir, { recursive: true });
      this.spoolReady = true;
    }
    const temp = join(this.spoolDir, `${randomUUID()}.part`);
    if (options?.size !== undefined && options.size <= SMALL_OBJECT) {
      putSmall(await collect(body), temp, target);
      return;
    }
    try {
      await pipeline(body, createWriteStream(temp));
      await renameCreatingDir(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async putFile(key: string, path: string): Promise<void> {
    const target = this.path(key);
    try {
      await renameCreatingDir(path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // Spooled on another filesystem: copy next to the target, then rename atomically.
      const temp = `${target}.${randomUUID()}.part`;
      await mkdir(dirname(target), { recursive: true });
      await copyFile(path, temp);
      await rename(temp, target);
      await rm(path, { force: true });
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    // Opening first (rather than stat, then open) saves a system call per read and cannot race.
    const fd = await openFd(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw this.notFound(key, error);
    });
    // A numeric fd: FileHandle streams read through promises and were 2x slower on large artifacts.
    return createReadStream(path, { fd, highWaterMark: 1 << 20 });
  }

  /** Blobs are files here: readBlob lets the file materializer copy them in the kernel. */
  localPath(key: string): string {
    return this.path(key);
  }

  private notFound(key: string, error: NodeJS.ErrnoException): Error {
    if (error.code !== 'ENOENT' && error.code !== 'EISDIR') return error;
    return new StrataError(`artifact ${this.uri(key)} does not exist`, {
      code: 'not_found',
      field: 'key',
      value: key,
      fix: 'the store was cleaned or points at another directory; re-run the producing step',
    });
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const info = await stat(this.path(key));
      return info.isFile() ? { key, size: info.size } : undefined;
    } catch {
      return undefined;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const files: string[] = [];
    await walk(this.root, files);
    files.sort();
    for (const file of files) {
      const key = relative(this.root, file).split(sep).join('/');
      if (key.startsWith('.tmp/') || !key.startsWith(prefix)) continue;
      const info = await stat(file);
      yield { key, size: info.size };
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  uri(key: string): string {
    return `file://${join(this.root, key)}`;
  }
}

/**
 * Objects up to this size (a step's JSON output, a metric) are written with synchronous calls: four
 * thread-pool round trips and a write stream cost more than the bytes, and most steps write only these.
 */
const SMALL_OBJECT = 256 * 1024;

async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

function putSmall(bytes: Buffer, temp: string, target: string): void {
  try {
    writeFileSync(temp, bytes);
    try {
      renameSync(temp, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(target), { recursive: true });
      renameSync(temp, target);
    }
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Renames, creating the target's folder only when it is missing (one syscall in the common case). */
async function renameCreatingDir(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }
}

const openFd = promisify(openCallback);

async function walk(dir: string, out: string[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
}
