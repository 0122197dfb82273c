// docs/concepts.md#steps: typed inputs, outputs and parameters; the step context.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { step, t } from '@strata/core';
import { tableFromArrays } from 'apache-arrow';
import { z } from 'zod';

export const makeTable = step({
  name: 'make_table',
  // Each output's type picks its materializer: Arrow IPC for tables, a file streamed as-is…
  outputs: { table: t.table(), report: t.file() },
  params: z.object({ rows: z.number().int().min(1).default(3) }),
  async run(_inputs, { rows }, ctx) {
    const table = tableFromArrays({
      id: Int32Array.from({ length: rows }, (_, i) => i),
      score: Float64Array.from({ length: rows }, (_, i) => i / rows),
    });
    const report = join(ctx.scratchDir, 'report.txt'); // a private folder, deleted after the step
    await writeFile(report, `${rows} rows\n`);
    ctx.logger.info(`built ${rows} rows`); // stored with the step run: `strata runs logs`
    ctx.log({ rows }); // metadata on the step run
    return { table, report: { path: report } };
  },
});

export const meanScore = step({
  name: 'mean_score',
  inputs: { table: t.table() },
  outputs: { mean: t.number() },
  run: ({ table }, _params, ctx) => {
    const scores = table.getChild('score')!.toArray() as Float64Array;
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    ctx.log({ mean }, { output: 'mean' }); // metadata on the output artifact
    return { mean };
  },
});
