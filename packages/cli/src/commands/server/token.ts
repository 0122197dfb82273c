import { userInfo } from 'node:os';
import { formatTime, printJson, printTable } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

const who = () => process.env.STRATA_ACTOR ?? `user:${userInfo().username}`;

export function register(group: Group): void {
  const token = group.command('token').description('API tokens of the server (stored hashed; shown once)');

  token
    .command('create')
    .description(
      'create a token and print it once (read: browse; write: also promote, roll back, cancel, resume; admin: also the audit log)',
    )
    .argument('<name>', 'who or what holds it, e.g. ci or alice')
    .requiredOption('--scope <scope>', 'read, write or admin')
    .option('--json', 'print JSON')
    .action(async (name, options) => {
      await withProject(async (project) => {
        const { createToken } = await import('@strata/server');
        const { token: secret, info } = await createToken(project.database, {
          name,
          scope: options.scope,
          createdBy: who(),
        });
        if (options.json) return printJson({ ...info, token: secret });
        process.stdout.write(`${secret}\n`);
        process.stderr.write(
          `created ${info.scope} token ${info.id} (${info.name}); it is shown only now: store it in a secret manager\n`,
        );
      });
    });

  token
    .command('list')
    .description('list tokens (ids, names, scopes, last use; never the secrets)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withProject(async (project) => {
        const { listTokens } = await import('@strata/server');
        const tokens = await listTokens(project.database);
        if (options.json) return printJson(tokens);
        printTable(
          ['ID', 'NAME', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'],
          tokens.map((t) => [
            t.id,
            t.name,
            t.scope,
            formatTime(t.createdAt),
            t.lastUsedAt === null ? '-' : formatTime(t.lastUsedAt),
            t.revokedAt === null ? '-' : formatTime(t.revokedAt),
          ]),
        );
      });
    });

  token
    .command('revoke')
    .description('revoke a token by id (or unique name); servers refuse it from the next request on')
    .argument('<token>', 'token id or name')
    .action(async (ref) => {
      await withProject(async (project) => {
        const { revokeToken } = await import('@strata/server');
        const info = await revokeToken(project.database, ref, who());
        process.stdout.write(`revoked ${info.id} (${info.name})\n`);
      });
    });
}
