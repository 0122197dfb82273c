import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
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
      const { verifySha256 } = await import('@strata/core');
      const stack = await lib.openStack(override === undefined ? {} : { stack: override });
      try {
        const artifact = await findArtifact(stack.database, ref);
        const body = await stack.artifactStore.get(artifact.storeKey);
        await pipeline(
          body,
          verifySha256(artifact.sha256, artifact.uri),
          file === '-' ? process.stdout : createWriteStream(file),
        );
        if (file !== '-')
          process.stderr.write(`exported ${artifact.id} (${artifact.size} bytes) to ${file}\n`);
      } finally {
        await stack.close();
      }
    });
}
