import { StrataError } from '@strata/core';
import { printJson } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';
import { actor, promote, registryOf } from './registry.js';

export function register(group: Group): void {
  group
    .command('promote')
    .description('point an alias (default production) at a version of a model that its gate blessed')
    .argument('<model>', 'model name')
    .argument('<version>', 'version number')
    .option('--alias <alias>', 'alias to move', 'production')
    .option('--reason <text>', 'why (recorded in the alias history)', 'promoted by hand')
    .option('--force', 'promote a version its evaluation gate did not bless (recorded as forced)')
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
          const { change, gate, forced } = await promote(registry, model, version, {
            alias: options.alias,
            reason: options.reason,
            actor: actor(),
            force: options.force === true,
          });
          if (gate.state === 'not_gated') {
            // Allowed (registries hold versions no gate saw), but not silently.
            process.stderr.write(
              `note: ${model} v${version} has no gate decision recorded (registered without an evaluation gate); promoted as asked\n`,
            );
          }
          if (options.json) return printJson({ ...change, gate, forced });
          process.stdout.write(
            `${model}@${change.alias} -> v${change.version}${change.previousVersion === null ? '' : ` (was v${change.previousVersion})`}` +
              `${forced ? `, forced past the gate (${gate.reason ?? 'blessed: false'})` : ''}\n`,
          );
        },
        { remote: true },
      );
    });
}
