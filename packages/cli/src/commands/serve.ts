import { PORT, wholeNumber } from '../output/options.js';
import { withProject } from '../output/project.js';
import type { GlobalCommand } from './index.js';

/** `strata serve MODEL@alias`: an HTTP model server following the alias until Ctrl-C. */
export function register(program: GlobalCommand): void {
  program
    .command('serve')
    .description(
      'serve a registered model over HTTP (/predict, /feedback, /health, /metadata), following its alias',
    )
    .argument('<model>', 'NAME@alias (followed) or NAME@version (pinned), e.g. penguins@production')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', PORT, 8080)
    .option('--poll-ms <ms>', 'how often the alias is checked', wholeNumber(10, 3_600_000), 1000)
    .action(async (model, options) => {
      const globals = program.opts();
      await withProject(async (project) => {
        const stack = await project.buildStack(globals.stack);
        const { serveModel } = await import('@strata/ml');
        const server = await serveModel(stack, {
          model,
          host: options.host,
          port: options.port,
          options: { pollMs: options.pollMs },
        });
        process.stdout.write(`serving ${model} v${server.servedVersion()} at ${server.url}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await server.stop();
        await stack.close();
      });
    });
}
