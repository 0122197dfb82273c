import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('pause')
    .description('pause a schedule (no runs fire until it is unpaused)')
    .argument('<name>', 'schedule name, as `strata schedule list` shows it')
    .option('--unpause', 'resume the schedule instead')
    .action(async (name, options, command) => {
      const { scheduleId, withSchedules } = await import('./capability.js');
      const id = scheduleId(name);
      const paused = options.unpause !== true;
      await withSchedules((command.optsWithGlobals() as { stack?: string }).stack, (schedules) =>
        schedules.pause(id, paused),
      );
      process.stdout.write(`schedule ${id} ${paused ? 'paused' : 'unpaused'}\n`);
    });
}
