import { bold, formatValue, printJson, printTable } from '../../output/format.js';
import { readProject } from '../../output/project.js';
import { findArtifact } from './find.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('show')
    .description('show an artifact: URI, size, hash, materializer and summary')
    .argument('<artifact>', 'artifact id (or a unique prefix)')
    .option('--json', 'print JSON')
    .action(async (ref, options) => {
      const { isInline } = await import('@strata/core/plugin');
      await readProject(async (project) => {
        const artifact = await findArtifact(project.database, ref);
        const metadata = await project.database.getMetadata('artifact', artifact.id);
        if (options.json) return printJson({ ...artifact, metadata });
        process.stdout.write(`${bold(`artifact ${artifact.id}`)}\n`);
        printTable(
          ['FIELD', 'VALUE'],
          Object.entries({
            // An inline value's URI is its bytes (a data: URI): the summary's preview shows them readably.
            uri: isInline(artifact) ? `inline (${artifact.size} bytes in the metadata row)` : artifact.uri,
            kind: artifact.kind,
            size: artifact.size,
            sha256: artifact.sha256,
            materializer: `${artifact.materializer}@${artifact.materializerVersion}`,
            producer: artifact.producerStepRunId,
            summary: artifact.summary,
            ...metadata,
          }).map(([k, v]) => [k, formatValue(v)]),
        );
      });
    });
}
