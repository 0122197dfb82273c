import type { Group } from '../schedule/index.js';
import { type GroupName, stackOf } from './with-stack.js';

export function register(group: Group, name: GroupName): void {
  group
    .command('describe')
    .description(`show one ${name}: its target, condition, policies, cursor and last firings`)
    .argument('<name>', `${name} name, as \`strata ${name} list\` shows it`)
    .option('--json', 'print JSON')
    .action(async (triggerName, options, command) => {
      const { withStack } = await import('./with-stack.js');
      const { describeCondition, printFirings } = await import('./print.js');
      const { formatTime, printJson } = await import('../../output/format.js');
      const lib = await import('@strata/project');
      await withStack(stackOf(command), async (stack) => {
        const d = await lib.describeTrigger(stack, triggerName, name);
        if (options.json) return printJson(d);
        const lines = [
          `${name} ${d.name} (${d.kind}, ${d.paused ? 'paused' : 'active'}, fired by ${d.firedBy})`,
          `  pipeline  ${d.target.pipeline} in ${d.target.module}${d.target.stack ? ` on stack ${d.target.stack}` : ''}`,
          `  params    ${JSON.stringify(d.target.params)}`,
          `  when      ${describeCondition(d.condition)}`,
          `  overlap   ${d.overlap}`,
          `  cursor    ${JSON.stringify(d.cursor)}`,
          ...(d.kind === 'schedule' ? [`  next      ${formatTime(d.nextFiring)}`] : []),
          `  created   ${formatTime(d.createdAt)}`,
          '',
        ];
        process.stdout.write(lines.join('\n'));
        printFirings(d.firings, false);
      });
    });
}
