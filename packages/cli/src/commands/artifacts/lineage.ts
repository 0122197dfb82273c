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
        if (options.json) return printJson(lineage);
        process.stdout.write(
          `${bold(`artifact ${artifact.id}`)} (${artifact.kind}, ${artifact.size} bytes)\n`,
        );
        for (const p of lineage.producers)
          process.stdout.write(`  produced by  ${p.runId} / ${p.nodeId} (${p.status})\n`);
        for (const c of lineage.consumers)
          process.stdout.write(`  read by      ${c.stepRun.runId} / ${c.stepRun.nodeId} as ${c.name}\n`);
      });
    });
}
