import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlockedStepRecorder } from '@strata/core/plugin';
import { resolveDatabaseUrl } from './database-url.js';
import { readProjectConfig, strataDir } from './project-config.js';
import { SecretStore } from './secrets.js';
import type { StoppedStepsData } from './stopped-steps.js';

/**
 * The recorder a host installs with core's `setBlockedStepRecorder`, so that a step stopped by the
 * blocked-loop watchdog is recorded `timed_out` in this project's metadata store before its process
 * ends (stopped-steps.ts). Temporal workers install it: the retry of the step's activity runs on
 * another worker, which must find the step ended instead of running it (and ending that worker) again.
 * Undefined for a store no other connection can reach (`:memory:`).
 */
export async function stoppedStepRecorder(root: string): Promise<BlockedStepRecorder | undefined> {
  const config = await readProjectConfig(root);
  const url = await resolveDatabaseUrl(root, config, new SecretStore(join(strataDir(root), 'secrets')));
  if (/(^|:)(\/\/)?:memory:$/.test(url)) return undefined;
  // The built module beside this one (a bundle's chunks sit in dist/ too), else the source under a test.
  const js = new URL('./stopped-steps.js', import.meta.url);
  const module = existsSync(fileURLToPath(js)) ? js : new URL('./stopped-steps.ts', import.meta.url);
  const data: StoppedStepsData = { url };
  return { module: module.href, data };
}
