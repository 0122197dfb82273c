import { StrataError } from '@strata/core';
import { printJson } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';
import { actor, registryOf } from './registry.js';

export function register(group: Group): void {
  group
    .command('promote')
    .description('point an alias (default production) at a version of a model')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number')
    .option('--alias <alias>', 'alias to move', 'production')
    .option('--reason <text>', 'why (recorded in the alias history)', 'promoted by hand')
    .option('--json', 'print JSON')
    .action(async (model, versionText, options) => {
      const version = Number(versionText);
      if (!Number.isInteger(version) || version < 1) {
        throw new StrataError(`version "${versionText}" is not a version number`, {
          code: 'invalid_argument',
          field: 'version',
          value: versionText,
          fix: `pass a number from \`strata models versions ${model}\``,
        });
      }
      await withProject(
        async (project) => {
          const registry = await registryOf(project, group);
          const change = await registry.promote(model, version, {
            alias: options.alias,
            reason: options.reason,
            actor: actor(),
          });
          if (options.json) return printJson(change);
          process.stdout.write(
            `${model}@${change.alias} -> v${change.version}${change.previousVersion === null ? '' : ` (was v${change.previousVersion})`}\n`,
          );
        },
        { remote: true },
      );
    });
}
