import { PORT } from '../../output/options.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('start')
    .description('serve the API for this project in the foreground (Ctrl-C stops it)')
    .option('--host <host>', 'address to bind; anything but loopback requires API tokens', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 picks a free one)', PORT, 8420)
    .option('--json', 'log one JSON object per line')
    .option('--trust-proxy', 'behind a reverse proxy: take the client address from X-Forwarded-For')
    .action(async (options, command) => {
      const { stack } = command.optsWithGlobals() as { stack?: string };
      const port = options.port;
      const lib = await import('@strata/project');
      const config = await lib.readProjectConfig(lib.findProjectRoot());
      if (config.plugins.some((p) => /\.[mc]?tsx?$/.test(p))) await lib.enableTypeScript();
      const { startServer } = await import('@strata/server');
      const server = await startServer({
        host: options.host,
        port,
        jsonLogs: options.json === true,
        trustProxy: options.trustProxy === true,
        ...(stack === undefined ? {} : { stack }),
        ...(process.argv[1] === undefined ? {} : { cliPath: process.argv[1] }),
      });
      process.stdout.write(`${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
