import { withProject } from '../../output/project.js';
import { aOrAn } from './a-or-an.js';
import { configFromArgs } from './config-args.js';
import type { Group } from './index.js';

export function register(group: Group, type: string): void {
  group
    .command('update')
    .description(
      `change config keys of ${aOrAn(group.name())} (--key value); the rest stay; validated before it is stored`,
    )
    .argument('<name>', 'component name')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (name, _options, command) => {
      const raw = configFromArgs(command.args.slice(1));
      await withProject(async (project, lib) => {
        await lib.updateComponent(project, { type, name, raw });
        process.stdout.write(`updated ${group.name()} ${name}\n`);
      });
    });
}
