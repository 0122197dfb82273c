import { printJson } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';
import { actor, registryOf } from './registry.js';

export function register(group: Group): void {
  group
    .command('rollback')
    .description('move an alias (default production) back to the version it held before')
    .argument('<model>', 'model name')
    .option('--alias <alias>', 'alias to move back', 'production')
    .requiredOption('--reason <text>', 'why (recorded in the alias history)')
    .option('--json', 'print JSON')
    .action(async (model, options) => {
      await withProject(
        async (project) => {
          const registry = await registryOf(project, group);
          const change = await registry.rollback(model, {
            alias: options.alias,
            reason: options.reason,
            actor: actor(),
          });
          if (options.json) return printJson(change);
          process.stdout.write(
            `${model}@${change.alias} rolled back to v${change.version} (was v${change.previousVersion})\n`,
          );
        },
        { remote: true },
      );
    });
}
