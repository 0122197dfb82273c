/** Two container steps exchanging a value only the `lines` plugin's materializer can save and load. */
import { pipeline, step, t } from '@strata/core';

const write = step({
  name: 'write_lines',
  outputs: { lines: t.custom<string[]>('lines') },
  run: () => ({ lines: ['alpha', 'beta', 'gamma'] }),
});

const join = step({
  name: 'join_lines',
  inputs: { lines: t.custom<string[]>('lines') },
  outputs: { joined: t.string() },
  run: ({ lines }, _params, ctx) => {
    ctx.logger.info(`read ${lines.join('+')}`);
    return { joined: lines.join('+') };
  },
});

export const lines = pipeline({
  name: 'docker_lines',
  body: () => {
    const { lines } = write();
    join({ lines });
  },
});
