/** Two steps that print with console.* at once, for the Temporal output-capture test. */
import { pipeline, step, t } from '@strata/core';

const chatty = (name: string) =>
  step({
    name,
    outputs: { n: t.number() },
    cache: false,
    async run() {
      for (let i = 0; i < 3; i++) {
        console.log(`${name} line ${i}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      console.error(`${name} complains`);
      return { n: 3 };
    },
  });

const left = chatty('left');
const right = chatty('right');

export const chattyPipeline = pipeline({
  name: 'chatty',
  body() {
    left();
    right();
  },
});
