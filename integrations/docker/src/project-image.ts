import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { StrataError } from '@strata/core';
import type Docker from 'dockerode';
import * as tar from 'tar';
import { type CachedDigest, collectContext, manifestText } from './build-context.js';

export interface ImageSpec {
  readonly baseImage: string;
  readonly repository: string;
  readonly codeSource: 'mount' | 'image';
  readonly workspaceRoot: string;
  readonly projectRoot: string;
  readonly exclude: readonly string[];
  readonly registry?:
    | { readonly url: string; readonly username?: string | undefined; readonly password?: string | undefined }
    | undefined;
}

export interface ProjectImage {
  /** `repository:hash`, the reference containers run. */
  readonly ref: string;
  readonly hash: string;
  /** False when an image with this content hash already existed. */
  readonly built: boolean;
  readonly files: number;
  readonly hashMs: number;
  readonly buildMs: number;
}

/**
 * The image a run's containers use, tagged with a content hash of everything that went into it (the
 * base image id, the Dockerfile and every file's digest). An unchanged project is never rebuilt:
 * `docker image inspect` of the tag is checked first.
 */
export async function ensureProjectImage(docker: Docker, spec: ImageSpec): Promise<ProjectImage> {
  const started = performance.now();
  const dir = join(spec.projectRoot, '.strata', 'docker');
  const cacheFile = join(dir, `digests-${spec.codeSource}.json`);
  const cache = await readDigestCache(cacheFile);
  const entries = await collectContext({
    root: spec.workspaceRoot,
    exclude: spec.exclude,
    includeNodeModules: spec.codeSource === 'image',
    cache,
  });
  await writeDigestCache(cacheFile, cache, new Set(entries.map((e) => e.path)));
  const manifest = manifestText(entries);
  const base = await docker
    .getImage(spec.baseImage)
    .inspect()
    .catch(() => {
      throw new StrataError(`base image ${spec.baseImage} is not on the Docker host`, {
        code: 'docker_base_image_missing',
        field: 'baseImage',
        value: spec.baseImage,
        fix: 'build it (bash scripts/services/docker.sh creates strata-node-base:20 offline) or set baseImage to an image with node at /usr/local/bin or on PATH',
      });
    });
  const contextDir = relative(spec.workspaceRoot, join(spec.projectRoot, '.strata', 'docker'))
    .split(sep)
    .join('/');
  const dockerfile = dockerfileText(spec, contextDir);
  const hash = createHash('sha256')
    .update(`${base.Id}\n${dockerfile}\n${manifest}`)
    .digest('hex')
    .slice(0, 24);
  const ref = `${spec.repository}:${hash}`;
  const hashMs = performance.now() - started;
  const exists = await docker
    .getImage(ref)
    .inspect()
    .then(() => true)
    .catch(() => false);
  if (exists) return { ref, hash, built: false, files: entries.length, hashMs, buildMs: 0 };

  const buildStarted = performance.now();
  await writeFile(join(dir, 'Dockerfile'), `${dockerfile}LABEL strata.content-hash="${hash}"\n`);
  await writeFile(join(dir, 'manifest.txt'), manifest);
  const files = [`${contextDir}/Dockerfile`, `${contextDir}/manifest.txt`];
  if (spec.codeSource === 'image') files.push(...entries.map((e) => e.path));
  const context = tar.c({ cwd: spec.workspaceRoot, portable: true, follow: false }, files);
  // The classic builder (API /build without BuildKit), which works offline against a local base image.
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {
    t: ref,
    dockerfile: `${contextDir}/Dockerfile`,
    rm: true,
    forcerm: true,
  });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
      const failed = error?.message ?? output.find((o) => o.error)?.error;
      if (failed)
        reject(
          new StrataError(`building image ${ref} failed: ${failed}`, {
            code: 'docker_build_failed',
            field: 'baseImage',
            value: spec.baseImage,
          }),
        );
      else resolve();
    });
  });
  if (spec.registry) await push(docker, spec, ref, hash);
  return { ref, hash, built: true, files: entries.length, hashMs, buildMs: performance.now() - buildStarted };
}

function dockerfileText(spec: ImageSpec, contextDir: string): string {
  const lines = [`FROM ${spec.baseImage}`];
  if (spec.codeSource === 'image') lines.push(`COPY . ${spec.workspaceRoot}/`);
  lines.push(`COPY ${contextDir}/manifest.txt /opt/strata/manifest.txt`);
  lines.push(`WORKDIR ${spec.projectRoot}`);
  lines.push(`LABEL strata.code-source="${spec.codeSource}" strata.workspace="${spec.workspaceRoot}"`);
  return `${lines.join('\n')}\n`;
}

async function push(docker: Docker, spec: ImageSpec, ref: string, hash: string): Promise<void> {
  const registry = spec.registry!;
  const repo = `${registry.url.replace(/\/$/, '')}/${spec.repository}`;
  await docker.getImage(ref).tag({ repo, tag: hash });
  const auth = registry.username
    ? { username: registry.username, password: registry.password ?? '', serveraddress: registry.url }
    : {};
  const stream = await docker.getImage(`${repo}:${hash}`).push({ authconfig: auth });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
      // The message names the registry and image only: credentials never appear in errors.
      const failed = error?.message ?? output.find((o) => o.error)?.error;
      if (failed)
        reject(
          new StrataError(`pushing ${repo}:${hash} failed: ${failed}`, {
            code: 'docker_push_failed',
            field: 'registry.url',
            value: registry.url,
            fix: 'check the registry address and credentials',
          }),
        );
      else resolve();
    });
  });
}

async function readDigestCache(path: string): Promise<Map<string, CachedDigest>> {
  try {
    return new Map(Object.entries(JSON.parse(await readFile(path, 'utf8')) as Record<string, CachedDigest>));
  } catch {
    return new Map();
  }
}

/** Keeps only the paths still present; written through a temp file so a crash never leaves half a cache. */
async function writeDigestCache(
  path: string,
  cache: Map<string, CachedDigest>,
  present: Set<string>,
): Promise<void> {
  const kept = Object.fromEntries([...cache].filter(([key]) => present.has(key)));
  await mkdir(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(kept));
  await rename(temp, path);
}
