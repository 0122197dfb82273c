import { gateVerdict, StrataError } from '@strata/core';
import { formatTime, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';
import { registryOf } from './registry.js';

/**
 * The scalar metrics of a version (accuracy=0.8387 rmse=3.2), not its confusion matrix or per-class
 * table: those made every row hundreds of characters wide. `--json` and `models show` have them all.
 */
function scalarMetrics(metrics: unknown): string {
  if (!metrics || typeof metrics !== 'object' || Array.isArray(metrics)) return '-';
  const cells = Object.entries(metrics as Record<string, unknown>)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : Number(v.toPrecision(4))}`);
  return cells.join(' ') || '-';
}

export function register(group: Group): void {
  group
    .command('versions')
    .description("list the versions of a model with their gate's verdict, run, artifact and metrics")
    .argument('<model>', 'model name')
    .option('--json', 'print JSON')
    .action(async (model, options) => {
      await readProject(async (project) => {
        const registry = await registryOf(project, group);
        const versions = await registry.versions(model);
        const summary = (await registry.listModels()).find((m) => m.name === model);
        if (!summary && versions.length === 0) {
          // Not an empty table and exit 0, as if the model existed without versions.
          throw new StrataError(`no model named "${model}" in the ${registry.flavor} model registry`, {
            code: 'unknown_model',
            field: 'model',
            value: model,
            fix: 'list the models with `strata models list`',
          });
        }
        const aliases = summary?.aliases ?? {};
        if (options.json) return printJson({ model, aliases, versions });
        printTable(
          ['VERSION', 'ALIASES', 'GATE', 'RUN', 'ARTIFACT', 'METRICS', 'CREATED'],
          versions.map((v) => [
            `v${v.version}`,
            Object.entries(aliases)
              .filter(([, n]) => n === v.version)
              .map(([a]) => a)
              .join(',') || '-',
            gateVerdict(v).state.replace('_', ' '),
            v.runId ?? '-',
            v.artifactId,
            scalarMetrics(v.metrics),
            formatTime(v.createdAt),
          ]),
        );
      });
    });
}
