// The pipeline the walkthrough runs on the new flavors: nothing in it names a flavor.
import { pipeline, step, t } from '@strata/core';

const numbers = step({
  name: 'numbers',
  outputs: { values: t.json<number[]>() },
  // 2,000 numbers: large enough to be stored (values up to 4 KiB stay in their metadata row).
  run: () => ({ values: Array.from({ length: 2000 }, (_, i) => (i * 7919) % 2000) }),
});
const sorted = step({
  name: 'sorted',
  inputs: { values: t.json<number[]>() },
  outputs: { values: t.json<number[]>() },
  run: ({ values }) => ({ values: [...values].sort((a, b) => a - b) }),
});

export const sortNumbers = pipeline({
  name: 'sort-numbers',
  body: () => {
    const { values } = numbers();
    sorted({ values });
  },
});
