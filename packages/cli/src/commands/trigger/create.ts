import type { TriggerConditionInput } from '@strata/core/plugin';
import type { Group } from '../schedule/index.js';
import { collect } from '../triggers/flags.js';
import { stackOf } from '../triggers/with-stack.js';

const KINDS = ['new-data', 'model-health', 'run-completion', 'code-change'] as const;

/** The condition options each kind reads; any other one given is refused instead of silently ignored. */
const KIND_OPTIONS: Record<(typeof KINDS)[number], readonly string[]> = {
  'new-data': ['source', 'as', 'poll'],
  'model-health': ['model', 'metric', 'threshold', 'window', 'minCount'],
  'run-completion': ['after', 'statuses', 'as'],
  'code-change': ['branch', 'paths', 'poll'],
};
const CONDITION_OPTIONS = [...new Set(Object.values(KIND_OPTIONS).flat())];
const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function register(group: Group): void {
  group
    .command('create')
    .description(
      'start the pipeline in FILE when something happens (--on ...), fired by `strata agent` (Temporal: its trigger workflow)',
    )
    .argument('<file>', 'a .ts or .js module exporting a pipeline, inside the project')
    .requiredOption('--on <kind>', `what fires it: ${KINDS.join(', ')}`)
    .option('--source <path>', 'new-data: a folder, a glob (data/*.csv) or an object prefix')
    .option(
      '--as <param>',
      'new-data / run-completion: the pipeline parameter that receives the data version / upstream run id',
    )
    .option('--poll <duration>', 'new-data / code-change: how often to look, e.g. 2s')
    .option('--model <name@alias>', 'model-health: the served model, e.g. penguins@production')
    .option('--metric <name>', 'model-health: drift (share of drifted features), accuracy or mae')
    .option('--threshold <n>', 'model-health: fires below it (accuracy) or above it (drift, mae)')
    .option('--window <duration>', 'model-health: how much recent serving counts, e.g. 1h', '1h')
    .option('--min-count <n>', 'model-health: observations needed in the window', '20')
    .option('--after <pipeline>', 'run-completion: the upstream pipeline')
    .option('--statuses <list>', 'run-completion: upstream outcomes that fire', 'completed')
    .option('--branch <name>', 'code-change: the git branch to watch', 'main')
    .option('--paths <list>', 'code-change: only commits touching these paths (comma-separated)')
    .option('--overlap <policy>', 'a firing while the last run still runs: skip, queue, allow', 'skip')
    .option('--pipeline <name>', 'which pipeline, when the file exports several')
    .option('-p, --param <key=value>', 'pipeline parameter, repeatable (JSON values are parsed)', collect)
    .option('--name <name>', 'trigger name (default: PIPELINE-KIND)')
    .option('--paused', 'create it paused')
    .option('--json', 'print the trigger as JSON')
    .action(async (file, options, command) => {
      const lib = await import('@strata/project');
      const { choiceFlag, durationFlag, numberFlag } = await import('../triggers/flags.js');
      const { withStack } = await import('../triggers/with-stack.js');
      const kind = choiceFlag('on', options.on, KINDS)!;
      for (const key of CONDITION_OPTIONS) {
        if (KIND_OPTIONS[kind].includes(key) || command.getOptionValueSource(key) !== 'cli') continue;
        const kinds = KINDS.filter((k) => KIND_OPTIONS[k].includes(key));
        const { StrataError } = await import('@strata/core');
        throw new StrataError(`${flagOf(key)} does not apply to --on ${kind}`, {
          code: 'invalid_trigger',
          field: key,
          value: String((options as Record<string, unknown>)[key]),
          fix: `drop ${flagOf(key)} (it is for --on ${kinds.join(' or ')}); --on ${kind} takes ${KIND_OPTIONS[kind].map(flagOf).join(', ')}`,
        });
      }
      const overlap = choiceFlag('overlap', options.overlap, ['skip', 'queue', 'allow'] as const);
      const poll = durationFlag('poll', options.poll);
      const list = (text: string | undefined) =>
        (text ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      const condition: TriggerConditionInput =
        kind === 'new-data'
          ? {
              kind: 'new_data',
              source: options.source ?? '',
              ...(options.as === undefined ? {} : { param: options.as }),
              ...(poll === undefined ? {} : { pollMs: poll }),
            }
          : kind === 'model-health'
            ? {
                kind: 'model_health',
                model: options.model ?? '',
                metric: options.metric ?? '',
                threshold: numberFlag('threshold', options.threshold) ?? Number.NaN,
                windowMs: durationFlag('window', options.window)!,
                minCount: numberFlag('min-count', options.minCount)!,
              }
            : kind === 'run-completion'
              ? {
                  kind: 'run_completion',
                  pipeline: options.after ?? '',
                  statuses: list(options.statuses) as ('completed' | 'failed' | 'cancelled')[],
                  ...(options.as === undefined ? {} : { param: options.as }),
                }
              : {
                  kind: 'code_change',
                  branch: options.branch,
                  paths: list(options.paths),
                  ...(poll === undefined ? {} : { pollMs: poll }),
                };
      const stackName = stackOf(command);
      await withStack(stackName, async (stack) => {
        const record = await lib.createTrigger(stack, {
          file,
          params: lib.parseParamFlags(options.param ?? []),
          condition,
          ...(overlap === undefined ? {} : { overlap }),
          ...(options.pipeline === undefined ? {} : { pipeline: options.pipeline }),
          ...(options.name === undefined ? {} : { name: options.name }),
          ...(stackName === undefined ? {} : { stack: stackName }),
          ...(options.paused ? { paused: true } : {}),
        });
        const { printTriggers } = await import('../triggers/print.js');
        if (options.json) return printTriggers([record], true, 'trigger');
        process.stdout.write(
          `created trigger ${record.name} (fired by ${record.firedBy === 'agent' ? '`strata agent`' : `the ${record.firedBy} trigger workflow on the stack's workers`})\n`,
        );
        printTriggers([record], false, 'trigger');
      });
    });
}
