import type { GlobalCommand } from './index.js';

export function register(program: GlobalCommand): void {
  program
    .command('disconnect')
    .description('go back to reading the metadata store directly (undoes `strata connect`)')
    .action(async () => {
      const lib = await import('@strata/project');
      const root = lib.findProjectRoot();
      const { removeConnection, TOKEN_SECRET } = await import('../remote/connection.js');
      const removed = await removeConnection(root);
      const { join } = await import('node:path');
      const secrets = new lib.SecretStore(join(root, '.strata', 'secrets'));
      await secrets.delete(TOKEN_SECRET).catch(() => {});
      process.stdout.write(
        removed ? 'disconnected: commands read the metadata store again\n' : 'not connected\n',
      );
    });
}
