import type { GlobalCommand } from '../index.js';
import { register as status } from './status.js';

export function register(program: GlobalCommand): void {
  const agent = program
    .command('agent')
    .description('fire schedules and triggers (foreground; Ctrl-C or SIGTERM stops it cleanly)')
    .option('--tick <duration>', 'how often to look when nothing is due', '1s')
    .option(
      '--lease <duration>',
      'evaluator lease: a standby agent takes over this long after a crash',
      '15s',
    )
    .action(async (options, command) => {
      const { durationFlag } = await import('../triggers/flags.js');
      const lib = await import('@strata/project');
      const stackName = (command.optsWithGlobals() as { stack?: string }).stack;
      const tickMs = durationFlag('tick', options.tick)!;
      const leaseMs = durationFlag('lease', options.lease)!;
      const stack = await lib.openStack(stackName === undefined ? {} : { stack: stackName });
      const runCommand = [process.execPath, ...process.execArgv, process.argv[1]!];
      let agentRef: InstanceType<typeof lib.Agent> | undefined;
      const launcher = lib.childProcessLauncher(runCommand, (firing, code, detail) => {
        if (code === 0) return;
        process.stderr.write(`${firing.trigger}: run ${firing.runId} exited ${code}: ${detail}\n`);
        void agentRef?.runFailed(firing, `strata run exited ${code}: ${detail}`);
      });
      const agent = new lib.Agent({
        stack,
        launcher,
        tickMs,
        leaseMs,
        log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
      }).start();
      agentRef = agent;
      const triggers = await stack.database.listTriggers();
      process.stdout.write(
        `strata agent ${agent.id} on ${stack.database.url}: ${triggers.filter((t) => t.firedBy === 'agent').length} schedules and triggers (Ctrl-C stops)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stdout.write('stopping: runs already started keep running\n');
      await agent.stop();
      await stack.close();
    });
  status(agent);
}
