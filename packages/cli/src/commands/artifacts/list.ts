import { formatTime, printJson, printTable } from '../../output/format.js';
import { LIMIT } from '../../output/options.js';
import { readProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('list')
    .description('list artifacts, newest first')
    .option('--kind <kind>', 'only this kind (json, arrow, bytes, ...)')
    .option('-n, --limit <n>', 'at most this many', LIMIT, 50)
    .option('--json', 'print JSON')
    .action(async (options) => {
      await readProject(async (project) => {
        const artifacts = await project.database.listArtifacts({
          limit: options.limit,
          ...(options.kind ? { kind: options.kind } : {}),
        });
        if (options.json) return printJson(artifacts);
        printTable(
          ['ARTIFACT', 'KIND', 'SIZE', 'SHA256', 'CREATED'],
          artifacts.map((a) => [
            a.id,
            a.kind,
            String(a.size),
            a.sha256.slice(0, 12),
            formatTime(a.createdAt),
          ]),
        );
      });
    });
}
