import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('delete')
    .description('delete a secret (refused while a component or the project config uses it, unless --force)')
    .argument('<name>', 'secret name')
    .option('--force', 'delete it even if something references it')
    .action(async (name, options) => {
      const lib = await import('@strata/project');
      const { StrataError } = await import('@strata/core');
      const { config, secrets } = await lib.openSecrets();
      if (!options.force) {
        // Opening the database may itself need a secret; when it cannot open, only the config is checked.
        const project = await lib.openProject().catch(() => undefined);
        try {
          const users = await lib.secretUsers(name, config, project?.database);
          if (users.length > 0) {
            throw new StrataError(`secret "${name}" is used by ${users.join(', ')}`, {
              code: 'secret_in_use',
              field: 'name',
              value: name,
              fix: `point ${users.length > 1 ? 'them' : 'it'} at another secret first, or delete anyway with \`strata secret delete ${name} --force\``,
            });
          }
        } finally {
          await project?.close();
        }
      }
      await secrets.delete(name);
      process.stdout.write(`deleted secret ${name}\n`);
    });
}
