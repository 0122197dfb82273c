import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore, ObjectInfo } from '../../artifact-store/artifact-store.js';
import { StrataError } from '../../errors/strata-error.js';

/**
 * A folder as an artifact store for core's unit tests: bytes only (content addressing, integrity
 * checks and materialization live above ArtifactStore, in core, and are what the tests exercise).
 * Writes go to `.tmp/` and are renamed into place, so a reader sees a whole object or none; objects
 * are plain files (`localPath`), so a test can damage a blob and watch the integrity check catch it.
 */
export class DirectoryArtifactStore implements ArtifactStore {
  readonly identity: string;
  readonly spoolDir: string;

  constructor(readonly root: string) {
    this.root = resolve(root);
    this.identity = `directory:${this.root}`;
    this.spoolDir = join(this.root, '.tmp');
  }

  localPath(key: string): string {
    const full = resolve(this.root, key);
    if (key.length === 0 || key.startsWith('.tmp/') || !full.startsWith(this.root + sep)) {
      throw new StrataError(`invalid artifact key "${key}"`, {
        code: 'invalid_key',
        field: 'key',
        value: key,
        fix: 'use a relative path inside the store without ".." segments',
      });
    }
    return full;
  }

  async put(key: string, body: Readable): Promise<void> {
    this.localPath(key); // refuses a bad key before anything is written
    await mkdir(this.spoolDir, { recursive: true });
    const temp = join(this.spoolDir, `${randomUUID()}.part`);
    try {
      await pipeline(body, createWriteStream(temp));
      await this.putFile(key, temp);
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** The spool folder is inside the store, so this is always a rename. */
  async putFile(key: string, path: string): Promise<void> {
    const target = this.localPath(key);
    await mkdir(dirname(target), { recursive: true });
    await rename(path, target);
  }

  async get(key: string): Promise<Readable> {
    const path = this.localPath(key);
    if (!(await this.stat(key))) {
      throw new StrataError(`artifact ${this.uri(key)} does not exist`, {
        code: 'not_found',
        field: 'key',
        value: key,
        fix: 'the store was cleaned or points at another directory; re-run the producing step',
      });
    }
    return createReadStream(path);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const info = await stat(this.localPath(key)).catch(() => undefined);
    return info?.isFile() ? { key, size: info.size } : undefined;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(() => []);
    const keys = entries
      .filter((e) => e.isFile())
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join('/'))
      .filter((k) => !k.startsWith('.tmp/') && k.startsWith(prefix))
      .sort();
    for (const key of keys) {
      const info = await this.stat(key);
      if (info) yield info;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.localPath(key), { force: true });
  }

  uri(key: string): string {
    return `file://${join(this.root, key)}`;
  }
}
