import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('set')
    .description(
      'set keys of a secret from KEY=VALUE pairs, keeping its other keys (stored owner-only under .strata/secrets/)',
    )
    .argument('<name>', 'secret name')
    .argument('<pairs...>', 'KEY=VALUE (use KEY=- to read the value from stdin)')
    .option('--replace', 'drop the keys not given here (replace the whole secret)')
    .action(async (name, pairs, options) => {
      const { StrataError } = await import('@strata/core');
      const values: Record<string, string> = {};
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq <= 0) {
          // `--accessKeyId AKIA…` style: say so, and never echo what may be the value itself.
          const flag = pair.startsWith('--') ? pair.slice(2) : undefined;
          throw new StrataError(
            `"${flag ? `--${flag}` : pair.split('=')[0]!.slice(0, 40)}" is not KEY=VALUE`,
            {
              code: 'invalid_secret',
              field: 'pairs',
              value: '<redacted>',
              fix: flag
                ? `write the key and value as one word: strata secret set ${name} ${flag}=VALUE`
                : `write strata secret set ${name} KEY=VALUE`,
            },
          );
        }
        const key = pair.slice(0, eq);
        values[key] =
          pair.slice(eq + 1) === '-' ? (await readStdin()).replace(/\r?\n$/, '') : pair.slice(eq + 1);
      }
      // The secret store alone: the database may need this very secret to open (databasePasswordSecret).
      const { openSecrets } = await import('@strata/project');
      const { secrets } = await openSecrets();
      await secrets.set(name, values, { replace: options.replace === true });
      const keys = Object.keys((await secrets.get(name)) ?? {});
      process.stdout.write(
        `secret ${name} set (keys set: ${Object.keys(values).join(', ')}; keys now: ${keys.join(', ')})\n`,
      );
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
