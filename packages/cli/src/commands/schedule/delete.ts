import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('delete')
    .description('delete a schedule (runs it already started are not affected)')
    .argument('<name>', 'schedule name, as `strata schedule list` shows it')
    .action(async (name, _options, command) => {
      const { scheduleId, withSchedules } = await import('./capability.js');
      const id = scheduleId(name);
      await withSchedules((command.optsWithGlobals() as { stack?: string }).stack, (schedules) =>
        schedules.delete(id),
      );
      process.stdout.write(`schedule ${id} deleted\n`);
    });
}
