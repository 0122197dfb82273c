import type { Group } from './index.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(group: Group): void {
  group
    .command('create')
    .description('schedule the pipeline in FILE on the active (or --stack) stack')
    .argument('<file>', 'a .ts or .js module exporting a pipeline, inside the project')
    .requiredOption('--cron <expression>', 'five-field cron ("0 3 * * *") or an interval ("@every 10m")')
    .option('--pipeline <name>', 'which pipeline, when the file exports several')
    .option('-p, --param <key=value>', 'pipeline parameter, repeatable (JSON values are parsed)', collect)
    .option('--name <name>', 'schedule name (default: strata-PIPELINE-STACK)')
    .option('--json', 'print the schedule as JSON')
    .action(async (file, options, command) => {
      const { parseParamFlags } = await import('@strata/project');
      const { scheduleId, withSchedules } = await import('./capability.js');
      const params = parseParamFlags(options.param ?? []);
      const id = options.name === undefined ? undefined : scheduleId(options.name);
      const { printSchedules } = await import('./print.js');
      await withSchedules(
        (command.optsWithGlobals() as { stack?: string }).stack,
        async (schedules, stack) => {
          const row = await schedules.create({
            module: file,
            cron: options.cron,
            params,
            ...(options.pipeline === undefined ? {} : { pipeline: options.pipeline }),
            ...(id === undefined ? {} : { id }),
          });
          if (options.json) return printSchedules([row], true);
          process.stdout.write(`created schedule ${row.id} on stack ${stack.name}\n`);
          printSchedules([row], false);
        },
      );
    });
}
