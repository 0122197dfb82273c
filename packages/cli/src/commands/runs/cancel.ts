import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('cancel')
    .description('request cancellation of a running run; its orchestrator stops the steps')
    .argument('<run>', 'run id')
    .action(async (id, _options, command) => {
      const { stack: override } = command.optsWithGlobals() as { stack?: string };
      const lib = await import('@strata/project');
      const { connectedProject } = await import('../../remote/connected.js');
      const remote = await connectedProject(lib.findProjectRoot(), lib);
      if (remote) {
        // Through the server: it checks the state, cancels through the orchestrator and audits it.
        const { readConnection, TOKEN_SECRET } = await import('../../remote/connection.js');
        const { join } = await import('node:path');
        const connection = (await readConnection(remote.root))!;
        const token = (await new lib.SecretStore(join(remote.root, '.strata', 'secrets')).get(TOKEN_SECRET))
          ?.token;
        const { createClient } = await import('@strata/server/client');
        await createClient({ baseUrl: connection.url, ...(token ? { token } : {}) }).cancelRun(id, {
          reason: 'strata runs cancel',
        });
        process.stdout.write(`cancellation of run ${id} requested\n`);
        return;
      }
      const { StrataError } = await import('@strata/core');
      const { cancelRun, reconcileRun } = await import('@strata/core/plugin');
      const stack = await lib.openStack(override === undefined ? {} : { stack: override });
      try {
        const recorded = await stack.database.getRun(id);
        const run = recorded && (await reconcileRun(stack.database, recorded));
        if (!run)
          throw new StrataError(`run ${id} does not exist`, {
            code: 'unknown_run',
            field: 'run',
            value: id,
            fix: 'list runs with `strata runs list`',
          });
        if (run.status === 'crashed') {
          // Its owner is gone: close the step rows it left and let the orchestrator stop whatever may
          // still run for it (e.g. the containers of a killed submitter).
          await stack.database.closeActiveSteps(
            id,
            'cancelled',
            'cancelled after the run crashed',
            Date.now(),
          );
          await stack.orchestrator.cancel?.(id);
          const reaped = (await stack.orchestrator.reap?.([id])) ?? [];
          process.stdout.write(
            `run ${id} had crashed (${run.error ?? 'owner gone'}); its leftover steps are closed\n${reaped.map((l) => `  ${l}\n`).join('')}  resume it with: strata runs resume ${id}\n`,
          );
          return;
        }
        if (['completed', 'failed', 'cancelled'].includes(run.status)) {
          throw new StrataError(`run ${id} already ${run.status}; nothing to cancel`, {
            code: 'run_finished',
            field: 'run',
            value: id,
            fix: 'only pending or running runs can be cancelled',
          });
        }
        await cancelRun(stack, id);
        process.stdout.write(`cancellation of run ${id} requested\n`);
      } finally {
        await stack.close();
      }
    });
}
