import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('trigger')
    .description("start one run of a schedule's pipeline now, whatever its cron says")
    .argument('<name>', 'schedule name, as `strata schedule list` shows it')
    .action(async (name, _options, command) => {
      const { scheduleId, withSchedules } = await import('./capability.js');
      const id = scheduleId(name);
      await withSchedules((command.optsWithGlobals() as { stack?: string }).stack, (schedules) =>
        schedules.trigger(id),
      );
      process.stdout.write(`schedule ${id} triggered (the run is recorded when a worker starts it)\n`);
    });
}
