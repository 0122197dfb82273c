/** For the trigger workflow test: records which files a new-data firing said were added. */
import { pipeline, step, t } from '@strata/core';
import { z } from 'zod';

const received = step({
  name: 'received',
  outputs: { files: t.json<string[]>() },
  params: z.object({ added: z.array(z.string()).default([]) }),
  run: (_inputs, { added }) => {
    // A file named bad.csv makes the run fail (for the run_failed alert of a triggered run).
    if (added.includes('bad.csv')) throw new Error('bad.csv is not data');
    return { files: added };
  },
});

export const onData = pipeline({
  name: 'on-data',
  params: z.object({
    data: z.object({ uri: z.string(), digest: z.string(), added: z.array(z.string()) }).optional(),
  }),
  body: ({ data }) => {
    received({}, { params: { added: data?.added ?? [] } });
  },
});
