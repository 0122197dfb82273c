// docs/concepts.md#failure-handling-and-resume.
import { pipeline, step, t } from '@strata/core';

export const download = step({
  name: 'download',
  outputs: { rows: t.json<number[]>() },
  run: () => ({ rows: [1, 2, 3] }),
});

export const parse = step({
  name: 'parse',
  inputs: { rows: t.json<number[]>() },
  outputs: { total: t.number() },
  run: ({ rows }) => {
    // Stands in for a bug that is fixed between the failed run and the resume.
    if (process.env.CONCEPTS_PARSE_BROKEN === '1') throw new Error('cannot parse row 2');
    return { total: rows.reduce((a, b) => a + b, 0) };
  },
});

export const audit = step({ name: 'audit', outputs: { ok: t.boolean() }, run: () => ({ ok: true }) });

export const ingest = pipeline({
  name: 'ingest',
  body: () => {
    const { rows } = download();
    parse({ rows });
    audit(); // independent of `parse`
  },
});
