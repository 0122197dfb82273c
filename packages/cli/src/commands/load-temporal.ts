import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type TemporalModule = typeof import('@strata/temporal');

/**
 * @strata/temporal as the project resolves it (the copy whose orchestrator class the stack was built
 * with), else the CLI's own dependency. For the Temporal-only commands: `strata worker` and the live
 * progress of `strata runs show`.
 */
export async function loadTemporal(projectRoot: string): Promise<TemporalModule> {
  let path: string | undefined;
  try {
    path = createRequire(join(projectRoot, 'package.json')).resolve('@strata/temporal');
  } catch {
    path = undefined;
  }
  return path === undefined
    ? import('@strata/temporal')
    : ((await import(pathToFileURL(path).href)) as TemporalModule);
}
