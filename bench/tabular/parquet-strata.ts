/**
 * Strata's side of the Parquet comparison (run by parquet.ts in its own process): reads the CSV
 * into a table, writes it with the Parquet materializer's writer (snappy, 128 Ki-row groups), then
 * reads its own file and pyarrow's back into tables (`readDataset`, as the materializer and ingest
 * do) and streams them batch by batch. Prints one JSON line: seconds, bytes, rows, peak RSS.
 */

import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { readDataset } from '../../packages/ml/src/data/ingest.js';
import { localFile } from '../../packages/ml/src/data/read/data-file.js';
import { writeParquet } from '../../packages/ml/src/data/read/parquet-write.js';
import { readBatches } from '../../packages/ml/src/data/read/read-batches.js';

const [csv, out, pyarrowFile] = process.argv.slice(2) as [string, string, string | undefined];
const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(2));
const result: Record<string, unknown> = {};

if (csv !== '-') {
  const { table } = await readDataset(csv);
  const t = performance.now();
  const sink = createWriteStream(out);
  await writeParquet(table, sink);
  sink.end();
  await once(sink, 'finish');
  result.write = { seconds: seconds(t), bytes: statSync(out).size, rows: table.numRows };
}
for (const [name, path] of [
  ['readOwn', out],
  ['readPyarrow', pyarrowFile],
] as const) {
  if (!path) continue;
  let t = performance.now();
  const { table } = await readDataset(path, { format: 'parquet' });
  const tableSeconds = seconds(t);
  t = performance.now();
  let rows = 0;
  for await (const batch of readBatches(localFile(path), 'parquet')) rows += batch.numRows;
  result[name] = { tableSeconds, streamSeconds: seconds(t), rows: table.numRows, streamedRows: rows };
}
result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(result));
