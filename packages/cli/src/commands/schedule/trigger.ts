import { stackOf } from '../triggers/with-stack.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('trigger')
    .description('fire a schedule now, whatever its calendar says (recorded in its history)')
    .argument('<name>', 'schedule name, as `strata schedule list` shows it')
    .action(async (name, _options, command) => {
      const { withStack } = await import('../triggers/with-stack.js');
      const lib = await import('@strata/project');
      const firing = await withStack(stackOf(command), (stack) => lib.fireNow(stack, name));
      process.stdout.write(
        firing
          ? `schedule ${name} fired: firing ${firing.id}, run ${firing.runId} (an agent starts it)\n`
          : `schedule ${name} triggered on the orchestrator (the run is recorded when a worker starts it)\n`,
      );
    });
}
