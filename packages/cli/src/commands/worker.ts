import type { GlobalCommand } from './index.js';

export function register(program: GlobalCommand): void {
  program
    .command('worker')
    .description(
      'run a Temporal worker for the active (or --stack) stack until SIGINT/SIGTERM; start as many as you like',
    )
    .option('--task-queue <queue>', "task queue to poll (default: the orchestrator's taskQueue)")
    .option('--concurrency <n>', 'steps (activities) this worker runs at once (default 4)')
    .action(async (options, command) => {
      const { stack: stackFlag } = command.optsWithGlobals() as { stack?: string };
      const { withProject } = await import('../output/project.js');
      // Checked from the stored records first: a wrong stack costs no Temporal SDK load.
      const { name, root } = await withProject(async (project, lib) => {
        const name = project.activeStackName(stackFlag);
        const { components } = await lib.describeStack(project, name);
        const flavor = components.find((c) => c.type === 'orchestrator')?.flavor ?? 'no';
        if (flavor !== 'temporal') {
          const { StrataError } = await import('@strata/core');
          throw new StrataError(
            `stack "${name}" uses the ${flavor} orchestrator; \`strata worker\` serves stacks whose orchestrator has flavor temporal`,
            {
              code: 'not_temporal',
              field: 'stack',
              value: name,
              fix: 'pass --stack NAME of a temporal stack (strata stack list), or register one (with "@strata/temporal" in the plugins of .strata/config.json): strata orchestrator register NAME --flavor temporal --address HOST:7233, then strata stack register NAME -o NAME -a STORE',
            },
          );
        }
        return { name, root: project.root };
      });
      const { loadTemporal } = await import('./load-temporal.js');
      const { serveWorker } = await loadTemporal(root);
      await serveWorker({
        stack: name,
        cwd: root,
        ...(options.taskQueue === undefined ? {} : { taskQueue: options.taskQueue }),
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      });
    });
}
