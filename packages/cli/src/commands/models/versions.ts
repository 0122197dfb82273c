import { formatTime, formatValue, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';
import { registryOf } from './registry.js';

export function register(group: Group): void {
  group
    .command('versions')
    .description('list the versions of a model with their run, artifact and metrics')
    .argument('<model>', 'model name')
    .option('--json', 'print JSON')
    .action(async (model, options) => {
      await readProject(async (project) => {
        const registry = await registryOf(project, group);
        const versions = await registry.versions(model);
        const aliases = (await registry.listModels()).find((m) => m.name === model)?.aliases ?? {};
        if (options.json) return printJson({ model, aliases, versions });
        printTable(
          ['VERSION', 'ALIASES', 'RUN', 'ARTIFACT', 'METRICS', 'CREATED'],
          versions.map((v) => [
            `v${v.version}`,
            Object.entries(aliases)
              .filter(([, n]) => n === v.version)
              .map(([a]) => a)
              .join(',') || '-',
            v.runId ?? '-',
            v.artifactId,
            formatValue(v.metrics),
            formatTime(v.createdAt),
          ]),
        );
      });
    });
}
