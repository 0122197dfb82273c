import { spawn } from 'node:child_process';
import { PORT } from '../output/options.js';
import type { GlobalCommand } from './index.js';

/** Opens the URL in the desktop's browser when there is a desktop; silently does nothing otherwise. */
function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '', url]
        : process.env.DISPLAY || process.env.WAYLAND_DISPLAY
          ? ['xdg-open', url]
          : undefined;
  if (!command) return;
  const child = spawn(command[0] as string, command.slice(1), { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/**
 * `strata ui`: the API server with the dashboard, on loopback only, for this project. The default port
 * is the server's; when another process holds it a free port is taken instead of failing.
 */
export function register(program: GlobalCommand): void {
  program
    .command('ui')
    .description('open the dashboard: serve this project on 127.0.0.1 and print the URL (Ctrl-C stops it)')
    .option('--port <port>', 'TCP port (0 picks a free one)', PORT, 8420)
    .option('--no-open', 'do not open a browser')
    .action(async (options) => {
      const port = options.port;
      const lib = await import('@strata/project');
      const config = await lib.readProjectConfig(lib.findProjectRoot());
      if (config.plugins.some((p) => /\.[mc]?tsx?$/.test(p))) await lib.enableTypeScript();
      const { startServer } = await import('@strata/server');
      const start = (p: number) => startServer({ host: '127.0.0.1', port: p });
      let server: Awaited<ReturnType<typeof start>>;
      try {
        server = await start(port);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
        server = await start(0);
      }
      process.stdout.write(`Strata dashboard: ${server.url}/\n`);
      if (options.open) openBrowser(`${server.url}/`);
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
