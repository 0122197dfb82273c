import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('list')
    .description("list the schedules of the active (or --stack) stack's orchestrator")
    .option('--json', 'print JSON')
    .action(async (options, command) => {
      const { withSchedules } = await import('./capability.js');
      const { printSchedules } = await import('./print.js');
      await withSchedules((command.optsWithGlobals() as { stack?: string }).stack, async (schedules) =>
        printSchedules(await schedules.list(), options.json === true),
      );
    });
}
