import { Readable } from 'node:stream';
import type { ArtifactRecord, Stack } from '@strata/core';
import { StrataError } from '@strata/core';
import type { ArtifactStore, StrataDatabase } from '@strata/core/plugin';
import { inlineBytes, isInline, readBlob } from '@strata/core/plugin';
import type { StackCache } from './stack-cache.js';

/**
 * Reads artifact bytes for previews and downloads, always sha256-verified. Inline artifacts come from
 * their metadata row; stored ones from the artifact store of the stack their run used (or any stack
 * whose store has the artifact's identity). Only the artifact's recorded key is ever read: a client
 * never names a path, so nothing can climb out of the store.
 */
export class ArtifactReader {
  constructor(
    private readonly database: StrataDatabase,
    private readonly stacks: StackCache,
  ) {}

  /** The whole artifact as a stream that errors at its end if the bytes do not match its sha256. */
  async open(artifact: ArtifactRecord): Promise<Readable> {
    if (isInline(artifact)) return Readable.from([inlineBytes(artifact)]);
    const store = await this.storeOf(artifact);
    return readBlob(store, artifact.storeKey, artifact.sha256);
  }

  /** A local file holding the artifact, when its store keeps files (fast Range reads). */
  async localFile(artifact: ArtifactRecord): Promise<string | undefined> {
    if (isInline(artifact)) return undefined;
    const store = await this.storeOf(artifact);
    return store.localPath?.(artifact.storeKey);
  }

  /** At most `max` leading bytes; `complete` when that is the whole artifact (then it was verified). */
  async head(artifact: ArtifactRecord, max: number): Promise<{ bytes: Buffer; complete: boolean }> {
    if (isInline(artifact)) {
      const bytes = inlineBytes(artifact);
      return { bytes: bytes.subarray(0, max), complete: bytes.length <= max };
    }
    const complete = artifact.size <= max;
    const store = await this.storeOf(artifact);
    // A complete read goes through the verifier; a partial one cannot be verified and is only a preview.
    const stream = complete
      ? await readBlob(store, artifact.storeKey, artifact.sha256)
      : await store.get(artifact.storeKey);
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        total += chunk.length;
        if (total >= max && !complete) break;
      }
    } finally {
      stream.destroy();
    }
    const bytes = Buffer.concat(chunks);
    return { bytes: bytes.subarray(0, max), complete };
  }

  async storeOf(artifact: ArtifactRecord): Promise<ArtifactStore> {
    const producer = await this.database.getStepRun(artifact.producerStepRunId);
    const run = producer ? await this.database.getRun(producer.runId) : undefined;
    const names = [
      ...new Set([...(run ? [run.stackName] : []), ...(await this.database.listStacks()).map((s) => s.name)]),
    ];
    for (const name of names) {
      let stack: Stack;
      try {
        stack = await this.stacks.get(name);
      } catch {
        continue; // a stack whose plugins or credentials this server lacks cannot hold it here
      }
      if (stack.artifactStore.identity === artifact.storeIdentity) return stack.artifactStore;
    }
    throw new StrataError(`no stack this server can open has the artifact store ${artifact.storeIdentity}`, {
      code: 'store_unavailable',
      field: 'artifact',
      value: artifact.id,
      fix: 'register a stack whose artifact store is that store, with the plugin installed where the server runs',
    });
  }
}
