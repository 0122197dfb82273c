import { printJson, printTable } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(flavorGroup: Group, type: string): void {
  flavorGroup
    .command('list')
    .description('list the flavors of this component type (loads no SDK)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withProject(async (project) => {
        const rows = project.plugins.flatMap((p) =>
          p.flavors
            .filter((f) => f.type === type)
            .map((f) => ({ name: f.name, plugin: p.name, description: f.description })),
        );
        if (options.json) return printJson(rows);
        printTable(
          ['FLAVOR', 'PLUGIN', 'DESCRIPTION'],
          rows.map((r) => [r.name, r.plugin, r.description]),
        );
      });
    });
}
