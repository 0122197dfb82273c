import type { Group } from '../schedule/index.js';
import { type GroupName, stackOf } from './with-stack.js';

export function register(group: Group, name: GroupName): void {
  group
    .command('list')
    .description(`list the ${name}s stored in the metadata store`)
    .option('--json', 'print JSON')
    .action(async (options, command) => {
      const { withStack } = await import('./with-stack.js');
      const { printTriggers } = await import('./print.js');
      const lib = await import('@strata/project');
      await withStack(stackOf(command), async (stack) => {
        const rows = (await lib.listTriggers(stack, name)).map((r) => ({
          ...r,
          nextFiring: lib.nextFiring(r),
        }));
        printTriggers(rows, options.json === true, name);
      });
    });
}
