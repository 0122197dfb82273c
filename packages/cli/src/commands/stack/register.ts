import { withProject } from '../../output/project.js';
import type { Group } from './index.js';
import { componentOptions, componentsFromFlags } from './options.js';

export function register(group: Group): void {
  componentOptions(group.command('register'))
    .description('register a stack from existing components (validated before it is stored)')
    .argument('<name>', 'stack name')
    .option('--set', 'also make it the active stack')
    .action(async (name, options) => {
      await withProject(async (project, lib) => {
        const components = Object.fromEntries(
          Object.entries(componentsFromFlags(options)).filter((e): e is [string, string] => e[1] !== null),
        );
        await lib.registerStack(project, name, components);
        if (options.set) await lib.setActiveStack(project, name);
        process.stdout.write(`registered stack ${name}${options.set ? ' (active)' : ''}\n`);
      });
    });
}
