import type { Group } from '../schedule/index.js';
import { type GroupName, stackOf } from './with-stack.js';

export function register(group: Group, name: GroupName): void {
  group
    .command('delete')
    .description(`delete a ${name} (its firings stay in the history; runs it started are not affected)`)
    .argument('<name>', `${name} name, as \`strata ${name} list\` shows it`)
    .action(async (triggerName, _options, command) => {
      const { withStack } = await import('./with-stack.js');
      const lib = await import('@strata/project');
      await withStack(stackOf(command), (stack) => lib.deleteTrigger(stack, triggerName, name));
      process.stdout.write(`${name} ${triggerName} deleted\n`);
    });
}
