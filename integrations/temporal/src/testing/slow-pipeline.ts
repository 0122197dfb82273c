/** A step that takes a while, for the Temporal tests: it leaves `started-<pid>` in `markerDir`. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, step, t } from '@strata/core';
import { z } from 'zod';

export const slow = step({
  name: 'slow',
  outputs: { pid: t.number() },
  params: z.object({ markerDir: z.string(), ms: z.number().int() }),
  async run(_inputs, { markerDir, ms }, ctx) {
    await writeFile(join(markerDir, `started-${process.pid}`), '');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
    return { pid: process.pid };
  },
});

export const report = step({
  name: 'report',
  inputs: { pid: t.number() },
  outputs: { pid: t.number() },
  run: ({ pid }) => ({ pid }),
});

export const slowPipeline = pipeline({
  name: 'slow',
  params: z.object({ markerDir: z.string(), ms: z.number().int().default(4000) }),
  body({ markerDir, ms }) {
    const { pid } = slow({}, { params: { markerDir, ms } });
    report({ pid });
  },
});
