import { formatTime, formatValue, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';
import { registryOf } from './registry.js';

export function register(group: Group): void {
  group
    .command('list')
    .description('list registered models with their latest version and aliases')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await readProject(async (project) => {
        const models = await (await registryOf(project, group)).listModels();
        if (options.json) return printJson(models);
        printTable(
          ['MODEL', 'LATEST', 'ALIASES', 'CREATED'],
          models.map((m) => [
            m.name,
            `v${m.latestVersion}`,
            formatValue(
              Object.entries(m.aliases)
                .map(([a, v]) => `${a}=v${v}`)
                .join(' ') || '-',
            ),
            formatTime(m.createdAt),
          ]),
        );
      });
    });
}
