import { withProject } from '../../output/project.js';
import { aOrAn } from './a-or-an.js';
import { configFromArgs } from './config-args.js';
import type { Group } from './index.js';

export function register(group: Group, type: string): void {
  group
    .command('register')
    .description(
      `register ${aOrAn(group.name())}: --flavor F, then its config as --key value (see \`flavor describe F\`)`,
    )
    .argument('<name>', 'component name')
    .requiredOption('-f, --flavor <flavor>', 'flavor (strata ' + group.name() + ' flavor list)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (name, options, command) => {
      const raw = configFromArgs(command.args.slice(1));
      await withProject(async (project, lib) => {
        await lib.registerComponent(project, { type, name, flavor: options.flavor, raw });
        process.stdout.write(`registered ${group.name()} ${name} (flavor ${options.flavor})\n`);
      });
    });
}
