import { step, t } from '@strata/core';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { computeStatistics, type DatasetStatistics } from '../data/statistics.js';

/** Per-feature statistics: count, missing, mean/std/min/max/quantiles, top values, histograms. */
export const statistics = step({
  name: 'statistics',
  inputs: { data: t.table<Table>() },
  outputs: { statistics: t.json<DatasetStatistics>() },
  params: z.object({ bins: z.number().int().min(1).default(10), topK: z.number().int().min(1).default(10) }),
  run({ data }, params, ctx) {
    const result = computeStatistics(data, params);
    ctx.log({ rows: result.rowCount, features: Object.keys(result.features).length });
    return { statistics: result };
  },
});
