import type { Group } from '../schedule/index.js';
import { type GroupName, stackOf } from './with-stack.js';

export function register(group: Group, name: GroupName): void {
  group
    .command('history')
    .description(`the firings of a ${name}, newest first: when, why, evidence, the run it started`)
    .argument('<name>', `${name} name (a deleted one's history is kept)`)
    .option('--limit <n>', 'how many firings', '50')
    .option('--json', 'print JSON (with the evidence)')
    .action(async (triggerName, options, command) => {
      const { withStack } = await import('./with-stack.js');
      const { printFirings } = await import('./print.js');
      const lib = await import('@strata/project');
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        const { StrataError } = await import('@strata/core');
        throw new StrataError(`--limit ${options.limit} is not a positive integer`, {
          code: 'invalid_option',
          field: 'limit',
          value: options.limit,
          fix: 'pass e.g. --limit 20',
        });
      }
      await withStack(stackOf(command), async (stack) =>
        printFirings(await lib.triggerHistory(stack, triggerName, limit), options.json === true),
      );
    });
}
