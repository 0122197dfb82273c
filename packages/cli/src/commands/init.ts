import type { GlobalCommand } from './index.js';

export function register(program: GlobalCommand): void {
  program
    .command('init')
    .description(
      'create a Strata project in this directory (.strata/config.json, metadata store, default stack)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (options) => {
      const { initProject, findProjectRoot } = await import('@strata/project');
      const result = await initProject(process.env.STRATA_PROJECT_ROOT ? findProjectRoot() : process.cwd());
      if (options.json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
      process.stdout.write(
        result.created
          ? `initialised a Strata project in ${result.root}; active stack: ${result.activeStack}\n`
          : `${result.root} is already a Strata project; active stack: ${result.activeStack}\n`,
      );
    });
}
