import { bold, printJson } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import { findArtifact } from './find.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('lineage')
    .description('which step runs produced an artifact, and which read it')
    .argument('<artifact>', 'artifact id (or a unique prefix)')
    .option('--json', 'print JSON')
    .action(async (ref, options) => {
      await readProject(async (project) => {
        const artifact = await findArtifact(project.database, ref);
        const lineage = (await project.database.lineage(artifact.id))!;
        // The external data it was derived from, at any distance upstream (which data trained a model).
        const { dataSourcesOf } = await import('@strata/core');
        const data = await dataSourcesOf(project.database, artifact);
        if (options.json) return printJson({ ...lineage, dataSources: data });
        process.stdout.write(
          `${bold(`artifact ${artifact.id}`)} (${artifact.kind}, ${artifact.size} bytes)\n`,
        );
        for (const p of lineage.producers)
          process.stdout.write(`  produced by  ${p.runId} / ${p.nodeId} (${p.status})\n`);
        for (const c of lineage.consumers)
          process.stdout.write(`  read by      ${c.stepRun.runId} / ${c.stepRun.nodeId} as ${c.name}\n`);
        for (const d of data)
          process.stdout.write(
            `  from data    ${d.uri} ${d.digest}${d.count > 1 ? ` (${d.count} files)` : ''}, read by ${d.readBy}\n`,
          );
      });
    });
}
