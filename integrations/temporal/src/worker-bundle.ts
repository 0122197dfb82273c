import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundleKey, temporalSdkVersion } from './bundle-key.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
export const workflowsPath = join(here, `workflows.${ext}`);

export interface WorkflowBundleOptions {
  /** The workflow module to bundle; Strata's own workflows by default. */
  readonly workflowsPath?: string;
  /** Where bundles and their file lists are kept; the temp directory by default. */
  readonly cacheDir?: string;
  /** The installed @temporalio SDK version by default; a spec passes another to prove it is in the key. */
  readonly sdkVersion?: string;
}

export interface WorkflowBundle {
  readonly code: string;
  /** What the bundle is cached under: the SDK version plus every bundled file's path and content. */
  readonly key: string;
  /** Every file webpack read for this bundle (the workflow module's whole graph). */
  readonly files: readonly string[];
  /** True when the bundle came from the cache. */
  readonly cached: boolean;
}

/**
 * Webpack-bundles the workflow code once per machine and code version (a few seconds), so extra workers
 * start fast. The cache key covers everything in the bundle: the file list webpack reported last time is
 * kept beside the bundle, and the key is the hash of those files' current contents plus the SDK version,
 * so editing any bundled module (a core module the scheduler imports, say) or upgrading @temporalio
 * rebundles. A new import can only appear by editing a file already in the list, so the list stays
 * complete. From sources (tests, `--conditions=source`) webpack resolves @strata/core/scheduler to its
 * .ts file.
 */
export async function workflowBundle(options: WorkflowBundleOptions = {}): Promise<WorkflowBundle> {
  const entry = options.workflowsPath ?? workflowsPath;
  const dir = options.cacheDir ?? tmpdir();
  const sdkVersion = options.sdkVersion ?? (await temporalSdkVersion());
  const id = createHash('sha256').update(`${entry}\n${ext}\n${sdkVersion}`).digest('hex').slice(0, 16);
  const listPath = join(dir, `strata-temporal-workflows-${id}.files.json`);

  const files = await readFileList(listPath);
  if (files) {
    const key = await bundleKey(files, sdkVersion);
    if (key) {
      try {
        return { code: await readFile(bundlePath(dir, key), 'utf8'), key, files, cached: true };
      } catch {
        // not bundled under this key yet
      }
    }
  }

  const read = new Set<string>();
  const { code } = await bundleWorkflowCode({
    workflowsPath: entry,
    logger: quietLogger,
    webpackConfigHook: (config) => {
      if (ext === 'ts') config.resolve = { ...config.resolve, conditionNames: ['source', '...'] };
      config.plugins = [...(config.plugins ?? []), recordFiles(read)];
      return config;
    },
  });
  // webpack also lists the directories it searched, and the bundler's generated entry lives in an
  // in-memory volume: only files on disk carry content.
  const bundled = [...read]
    .filter((f) => isAbsolute(f) && statSync(f, { throwIfNoEntry: false })?.isFile())
    .sort();
  const key = await bundleKey(bundled, sdkVersion);
  if (key) {
    await writeAtomically(bundlePath(dir, key), code);
    await writeAtomically(listPath, JSON.stringify(bundled));
  }
  return { code, key: key ?? '', files: bundled, cached: false };
}

function bundlePath(dir: string, key: string): string {
  return join(dir, `strata-temporal-workflows-${key}.js`);
}

async function readFileList(path: string): Promise<string[] | undefined> {
  try {
    const list: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (Array.isArray(list) && list.length > 0 && list.every((f) => typeof f === 'string')) return list;
  } catch {
    // absent or unreadable: bundle again
  }
  return undefined;
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}

/** A webpack plugin that collects every file the compilation read (sources, package.json files). */
function recordFiles(into: Set<string>) {
  return {
    apply(compiler: {
      hooks: {
        done: {
          tap(
            name: string,
            fn: (stats: { compilation: { fileDependencies: Iterable<string> } }) => void,
          ): void;
        };
      };
    }): void {
      compiler.hooks.done.tap('strata-bundle-files', (stats) => {
        for (const file of stats.compilation.fileDependencies) into.add(file);
      });
    },
  };
}

const noop = () => undefined;
const quietLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: (m: string) => console.error(m),
};
