import { collect } from '../triggers/flags.js';
import { stackOf } from '../triggers/with-stack.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('create')
    .description(
      'schedule the pipeline in FILE: a cron or an interval, fired by `strata agent` (or Temporal)',
    )
    .argument('<file>', 'a .ts or .js module exporting a pipeline, inside the project')
    .option('--cron <expression>', 'five-field cron ("0 3 * * *"), six with seconds, or @hourly/@daily')
    .option('--every <duration>', 'an interval instead of cron, e.g. 10m or 1h30m')
    .option('--timezone <zone>', 'IANA zone the cron is read in', 'UTC')
    .option('--jitter <duration>', 'start each firing up to this much later, e.g. 2m')
    .option('--catch-up <policy>', 'missed firings after downtime: skip, one, all', 'one')
    .option('--overlap <policy>', 'a firing while the last run still runs: skip, queue, allow', 'skip')
    .option('--pipeline <name>', 'which pipeline, when the file exports several')
    .option('-p, --param <key=value>', 'pipeline parameter, repeatable (JSON values are parsed)', collect)
    .option('--name <name>', 'schedule name (default: PIPELINE-schedule)')
    .option('--paused', 'create it paused')
    .option('--json', 'print the schedule as JSON')
    .action(async (file, options, command) => {
      const lib = await import('@strata/project');
      const { choiceFlag, durationFlag } = await import('./../triggers/flags.js');
      const { withStack } = await import('../triggers/with-stack.js');
      const params = lib.parseParamFlags(options.param ?? []);
      const jitterMs = durationFlag('jitter', options.jitter);
      const catchUp = choiceFlag('catch-up', options.catchUp, ['skip', 'one', 'all'] as const);
      const overlap = choiceFlag('overlap', options.overlap, ['skip', 'queue', 'allow'] as const);
      const stackName = stackOf(command);
      await withStack(stackName, async (stack) => {
        const record = await lib.createTrigger(stack, {
          file,
          params,
          condition: {
            kind: 'schedule',
            ...(options.cron === undefined ? {} : { cron: options.cron }),
            ...(options.every === undefined ? {} : { every: options.every }),
            timezone: options.timezone,
            ...(jitterMs === undefined ? {} : { jitterMs }),
            ...(catchUp === undefined ? {} : { catchUp }),
          },
          ...(overlap === undefined ? {} : { overlap }),
          ...(options.pipeline === undefined ? {} : { pipeline: options.pipeline }),
          ...(options.name === undefined ? {} : { name: options.name }),
          ...(stackName === undefined ? {} : { stack: stackName }),
          ...(options.paused ? { paused: true } : {}),
        });
        const { printTriggers } = await import('../triggers/print.js');
        if (options.json) return printTriggers([record], true, 'schedule');
        process.stdout.write(
          `created schedule ${record.name} on stack ${stack.name} (fired by ${record.firedBy === 'agent' ? '`strata agent`' : record.firedBy})\n`,
        );
        printTriggers([{ ...record, nextFiring: lib.nextFiring(record) }], false, 'schedule');
      });
    });
}
