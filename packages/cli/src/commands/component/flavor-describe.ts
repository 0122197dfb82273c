import { bold, formatValue, printJson, printTable } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(flavorGroup: Group, type: string): void {
  flavorGroup
    .command('describe')
    .description("show a flavor's config schema: field, type, default, required, secret, description")
    .argument('<flavor>', 'flavor name')
    .option('--json', 'print JSON')
    .action(async (name, options) => {
      await withProject(async (project, lib) => {
        const flavor = lib.findFlavor(lib.projectFlavors(project), type, name);
        const fields = lib.describeConfigSchema(flavor.config);
        if (options.json) return printJson({ type, name, description: flavor.description, fields });
        process.stdout.write(`${bold(`${type.replace(/_/g, '-')} flavor ${name}`)}: ${flavor.description}\n`);
        printTable(
          ['FIELD', 'TYPE', 'DEFAULT', 'REQUIRED', 'SECRET', 'DESCRIPTION'],
          fields.map((f) => [
            `--${f.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
            f.type,
            formatValue(f.default),
            f.required && f.default === undefined ? 'yes' : 'no',
            f.secret ? 'yes' : 'no',
            f.description,
          ]),
        );
      });
    });
}
