import type { Group } from '../schedule/index.js';
import { type GroupName, stackOf } from './with-stack.js';

/** `pause` and `resume` (and `pause --unpause`, kept from the Temporal-only command). */
export function register(group: Group, name: GroupName): void {
  for (const verb of ['pause', 'resume'] as const) {
    const cmd = group
      .command(verb)
      .description(
        verb === 'pause' ? `pause a ${name}: nothing fires until it is resumed` : `resume a paused ${name}`,
      )
      .argument('<name>', `${name} name, as \`strata ${name} list\` shows it`)
      .option('--unpause', 'resume instead (same as `resume`)');
    cmd.action(async (triggerName, options, command) => {
      const { withStack } = await import('./with-stack.js');
      const lib = await import('@strata/project');
      const paused = verb === 'pause' && options.unpause !== true;
      await withStack(stackOf(command), (stack) => lib.pauseTrigger(stack, triggerName, paused, name));
      process.stdout.write(`${name} ${triggerName} ${paused ? 'paused' : 'resumed'}\n`);
    });
  }
}
