import type { Command } from '@commander-js/extra-typings';

// biome-ignore lint/suspicious/noExplicitAny: any parent command (its own options differ from the program's).
export function register(agent: Command<[], any, any>): void {
  agent
    .command('status')
    .description('the agents that report to this metadata store, and which one evaluates')
    .option('--json', 'print JSON')
    .action(async (options, command) => {
      const { withStack } = await import('../triggers/with-stack.js');
      const { formatTime, printJson, printTable } = await import('../../output/format.js');
      const lib = await import('@strata/project');
      await withStack((command.optsWithGlobals() as { stack?: string }).stack, async (stack) => {
        const agents = await lib.agentStatus(stack);
        if (options.json) return printJson(agents);
        if (agents.length === 0) {
          process.stdout.write('no agent has reported to this store (start one with `strata agent`)\n');
          process.exitCode = 1;
          return;
        }
        printTable(
          ['AGENT', 'STATE', 'ROLE', 'HOST', 'PID', 'STARTED', 'LAST SEEN', 'FIRED', 'LAST TICK'],
          agents.map((a) => {
            const stats = (a.stats ?? {}) as { fired?: number; lastTickMs?: number };
            return [
              a.id,
              a.state,
              a.evaluating ? 'evaluating' : a.state === 'live' ? 'standby' : '-',
              a.host,
              String(a.pid),
              formatTime(a.startedAt),
              // How long ago, not a clock time: a live agent beats every 5 s, so 40s ago says trouble.
              `${ago(a.lastSeenMs)} ago`,
              String(stats.fired ?? 0),
              stats.lastTickMs === undefined ? '-' : `${stats.lastTickMs.toFixed(1)} ms`,
            ];
          }),
        );
        for (const a of agents)
          if (a.lostReason) process.stdout.write(`agent ${a.id} lost: ${a.lostReason}\n`);
      });
    });
}

/** 4s, 12m, 3h, 2d. */
function ago(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
