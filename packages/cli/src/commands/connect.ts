import { StrataError } from '@strata/core';
import type { GlobalCommand } from './index.js';

export function register(program: GlobalCommand): void {
  program
    .command('connect')
    .description(
      "make this project's read commands (runs, artifacts, lineage, models, logs, pipelines) and model actions go through a Strata server",
    )
    .argument('<url>', 'the server, e.g. https://strata.example.com')
    .option(
      '--token <token>',
      'an API token (or set STRATA_TOKEN); stored as a project secret, never in config',
    )
    .action(async (url, options) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        parsed = new URL('invalid:');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new StrataError(`"${url}" is not an http(s) URL`, {
          code: 'invalid_argument',
          field: 'url',
          value: url,
          fix: 'pass the server address, e.g. http://127.0.0.1:8420 or https://strata.example.com',
        });
      }
      const lib = await import('@strata/project');
      const root = lib.findProjectRoot();
      const token = options.token ?? process.env.STRATA_TOKEN;
      const { createClient } = await import('@strata/server/client');
      const base = parsed.origin + parsed.pathname.replace(/\/+$/, '');
      // Check before saving: a wrong URL or token fails here, not on the next command.
      const info = await createClient({ baseUrl: base, ...(token ? { token } : {}) }).server();
      const { join } = await import('node:path');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(root, '.strata'), { recursive: true });
      const { TOKEN_SECRET, writeConnection } = await import('../remote/connection.js');
      const secrets = new lib.SecretStore(join(root, '.strata', 'secrets'));
      if (token) await secrets.set(TOKEN_SECRET, { token }, { replace: true });
      else await secrets.delete(TOKEN_SECRET).catch(() => {});
      await writeConnection(root, { url: base });
      process.stdout.write(
        `connected to ${base} (Strata ${info.version}, ${info.database}) as ${info.principal.name} (${info.principal.scope})\n`,
      );
    });
}
