// The README's "pipeline in one screen" is this folder's readme.ts: the README must quote it verbatim,
// and it must run.
import { readFile } from 'node:fs/promises';
import { createTemporaryStack } from '@strata/testing';
import { expect, it } from 'vitest';
import { demo } from './readme.js';

it('the README example is readme.ts, and it runs', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const source = await readFile(new URL('./readme.ts', import.meta.url), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
  const temp = await createTemporaryStack();
  try {
    const handle = await demo.run({ stack: temp.stack });
    expect((await handle.wait()).status).toBe('completed');
    expect(await handle.output('scale', 'scaled')).toEqual([10, 20, 30]);
  } finally {
    await temp.cleanup();
  }
});
