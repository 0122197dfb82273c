import { formatTime, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group, type: string): void {
  group
    .command('list')
    .description(`list ${group.name()} components and the stacks using them`)
    .option('--json', 'print JSON')
    .action(async (options) => {
      await readProject(async (project) => {
        const stacks = await project.database.listStacks();
        const rows = (await project.database.listComponents(type)).map((c) => ({
          name: c.name,
          flavor: c.flavor,
          stacks: stacks.filter((s) => s.components[type] === c.name).map((s) => s.name),
          updatedAt: c.updatedAt,
        }));
        if (options.json) return printJson(rows);
        printTable(
          ['NAME', 'FLAVOR', 'STACKS', 'UPDATED'],
          rows.map((r) => [r.name, r.flavor, r.stacks.join(', ') || '-', formatTime(r.updatedAt)]),
        );
      });
    });
}
