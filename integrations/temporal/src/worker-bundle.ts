import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const here = fileURLToPath(new URL('.', import.meta.url));
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
export const workflowsPath = join(here, `workflows.${ext}`);

/**
 * Webpack-bundles the workflow code once per machine and code version (a few seconds), cached in the
 * temp directory by the hash of its sources, so extra workers start fast. From sources (tests,
 * `--conditions=source`) webpack resolves @strata/core/scheduler to its .ts file.
 */
export async function workflowBundle(): Promise<{ code: string }> {
  const sources = [
    workflowsPath,
    join(here, `activity-options.${ext}`),
    fileURLToPath(import.meta.resolve('@strata/core/scheduler')),
  ];
  const hash = createHash('sha256');
  for (const file of sources) hash.update(await readFile(file));
  const cached = join(tmpdir(), `strata-temporal-workflows-${hash.digest('hex').slice(0, 16)}.js`);
  try {
    return { code: await readFile(cached, 'utf8') };
  } catch {
    // not bundled yet
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    logger: quietLogger,
    webpackConfigHook: (config) => {
      if (ext === 'ts') config.resolve = { ...config.resolve, conditionNames: ['source', '...'] };
      return config;
    },
  });
  const temp = `${cached}.${process.pid}.tmp`;
  await writeFile(temp, code);
  await rename(temp, cached);
  return { code };
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
