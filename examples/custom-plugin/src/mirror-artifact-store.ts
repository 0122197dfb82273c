// Section 5 of docs/plugins.md: an ArtifactStore only moves bytes. Content addressing, hashing and
// materializers live above it in core, so a store is a handful of small methods.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StrataError } from '@strata/core';
import type { ArtifactStore, ObjectInfo } from '@strata/core/plugin';

export class MirrorArtifactStore implements ArtifactStore {
  readonly identity: string;
  readonly root: string;
  readonly mirror: string;

  constructor(root: string, mirror: string) {
    this.root = resolve(root);
    this.mirror = resolve(mirror);
    this.identity = `mirror:${this.root}`;
  }

  private path(base: string, key: string): string {
    const full = resolve(base, key);
    if (key.length === 0 || !full.startsWith(base + sep) || key.startsWith('.tmp/')) {
      throw new StrataError(`invalid artifact key "${key}"`, {
        code: 'invalid_key',
        field: 'key',
        value: key,
        fix: 'use a relative path without ".."',
      });
    }
    return full;
  }

  /** Atomic: write a temp file, then rename it into place (in both directories). */
  async put(key: string, body: Readable): Promise<void> {
    const target = this.path(this.root, key);
    const temp = join(this.root, '.tmp', `${randomUUID()}.part`);
    await mkdir(dirname(temp), { recursive: true });
    try {
      await pipeline(body, createWriteStream(temp));
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const copy = this.path(this.mirror, key);
    const copyTemp = join(this.mirror, '.tmp', `${randomUUID()}.part`);
    await mkdir(dirname(copyTemp), { recursive: true });
    await copyFile(target, copyTemp);
    await mkdir(dirname(copy), { recursive: true });
    await rename(copyTemp, copy);
  }

  async get(key: string): Promise<Readable> {
    for (const base of [this.root, this.mirror]) {
      const path = this.path(base, key);
      if (
        await stat(path).then(
          (s) => s.isFile(),
          () => false,
        )
      )
        return createReadStream(path);
    }
    throw new StrataError(`artifact ${this.uri(key)} does not exist`, {
      code: 'not_found',
      field: 'key',
      value: key,
      fix: 're-run the producing step',
    });
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const info = await stat(this.path(this.root, key)).catch(() => undefined);
    return info?.isFile() ? { key, size: info.size } : undefined;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const files: string[] = [];
    await walk(this.root, files);
    for (const file of files.sort()) {
      const key = relative(this.root, file).split(sep).join('/');
      if (key.startsWith('.tmp/') || !key.startsWith(prefix)) continue;
      yield { key, size: (await stat(file)).size };
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(this.root, key), { force: true });
    await rm(this.path(this.mirror, key), { force: true });
  }

  uri(key: string): string {
    return `file://${join(this.root, key)}`;
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
}
