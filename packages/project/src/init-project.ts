import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_STACK } from './default-stack.js';
import { openProject } from './open-project.js';
import { readProjectConfig, strataDir, writeProjectConfig } from './project-config.js';

/**
 * `strata init`: creates `.strata/config.json` and the metadata store with the default stack (local
 * orchestrator, local artifact store). Running it again changes nothing.
 */
export async function initProject(
  root: string,
): Promise<{ root: string; created: boolean; activeStack: string }> {
  const configPath = join(strataDir(root), 'config.json');
  const created = !existsSync(configPath);
  if (created) await writeProjectConfig(root, await readProjectConfig(root));
  const project = await openProject({ cwd: root });
  try {
    return { root: project.root, created, activeStack: project.config.activeStack ?? DEFAULT_STACK };
  } finally {
    await project.close();
  }
}
