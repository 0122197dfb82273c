import { bold, formatValue, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import { aOrAn } from './a-or-an.js';
import type { Group } from './index.js';

export function register(group: Group, type: string): void {
  group
    .command('describe')
    .description(`show ${aOrAn(group.name())}'s flavor and config (secret fields show only their reference)`)
    .argument('<name>', 'component name')
    .option('--json', 'print JSON')
    .action(async (name, options) => {
      await readProject(async (project, lib) => {
        const component = await lib.getComponentOrThrow(project, type, name);
        const flavor = lib.projectFlavors(project, type).find((f) => f.name === component.flavor);
        const secret = new Set(flavor ? lib.secretFields(flavor.config) : []);
        const config = component.config as Record<string, unknown>;
        if (options.json) return printJson({ type: group.name(), name, flavor: component.flavor, config });
        process.stdout.write(`${bold(`${group.name()} ${name}`)}  flavor ${component.flavor}\n`);
        printTable(
          ['KEY', 'VALUE'],
          Object.entries(config).map(([k, v]) => [
            k,
            secret.has(k) && !String(v).startsWith('{{secret.') ? '<secret>' : formatValue(v),
          ]),
        );
      });
    });
}
