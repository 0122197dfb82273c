import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readProject } from '../../output/project.js';
import { findArtifact } from './find.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('export')
    .description("copy an artifact's stored bytes to FILE ('-' for stdout), verified against its sha256")
    .argument('<artifact>', 'artifact id (or a unique prefix)')
    .argument('<file>', "output file, or '-'")
    .action(async (ref, file, _options, command) => {
      const { stack: override } = command.optsWithGlobals() as { stack?: string };
      const lib = await import('@strata/project');
      const { inlineBytes, isInline, quarantineOnIntegrityError, readBlob } = await import(
        '@strata/core/plugin'
      );
      // The stack of the run that produced it (its store holds the bytes), unless --stack says otherwise.
      const { artifact, producedOn } = await readProject(async (project) => {
        const found = await findArtifact(project.database, ref);
        const producer = await project.database.getStepRun(found.producerStepRunId);
        const run = producer ? await project.database.getRun(producer.runId) : undefined;
        return { artifact: found, producedOn: run?.stackName };
      });
      const out = () => (file === '-' ? process.stdout : createWriteStream(file));
      if (isInline(artifact)) {
        // A small value kept in its metadata row: no store to open.
        await pipeline(Readable.from([inlineBytes(artifact)]), out());
      } else {
        const name = override ?? producedOn;
        const stack = await lib.openStack(name === undefined ? {} : { stack: name });
        try {
          if (stack.artifactStore.identity !== artifact.storeIdentity) {
            const { StrataError } = await import('@strata/core');
            throw new StrataError(
              `artifact ${artifact.id} lives in ${artifact.storeIdentity}, not in stack ${stack.name}'s store (${stack.artifactStore.identity})`,
              {
                code: 'wrong_store',
                field: 'stack',
                value: stack.name,
                fix: 'pass --stack with a stack whose artifact store holds it',
              },
            );
          }
          try {
            await pipeline(await readBlob(stack.artifactStore, artifact.storeKey, artifact.sha256), out());
          } catch (error) {
            // No half-written or corrupt copy is left behind; a corrupt blob is moved aside (quarantine).
            if (file !== '-') await rm(file, { force: true });
            throw await quarantineOnIntegrityError(stack.artifactStore, artifact, error);
          }
        } finally {
          await stack.close();
        }
      }
      if (file !== '-') process.stderr.write(`exported ${artifact.id} (${artifact.size} bytes) to ${file}\n`);
    });
}
