import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** Writes a chunk honouring backpressure, so large values stream at the sink's pace. */
export async function writeChunk(sink: Writable, chunk: Uint8Array | string): Promise<void> {
  if (!sink.write(chunk)) await once(sink, 'drain');
}

export async function readAll(source: Readable | AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
