import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('set')
    .description('create or replace a secret from KEY=VALUE pairs (stored owner-only under .strata/secrets/)')
    .argument('<name>', 'secret name')
    .argument('<pairs...>', 'KEY=VALUE (use KEY=- to read the value from stdin)')
    .action(async (name, pairs) => {
      const { StrataError } = await import('@strata/core');
      const values: Record<string, string> = {};
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq <= 0)
          throw new StrataError(`"${pair.split('=')[0]}" is not KEY=VALUE`, {
            code: 'bad_secret',
            field: 'pairs',
            value: '<redacted>',
            fix: `write strata secret set ${name} KEY=VALUE`,
          });
        const key = pair.slice(0, eq);
        values[key] =
          pair.slice(eq + 1) === '-' ? (await readStdin()).replace(/\r?\n$/, '') : pair.slice(eq + 1);
      }
      await withProject(async (project) => {
        await project.secrets.set(name, values);
        process.stdout.write(`secret ${name} set (keys: ${Object.keys(values).join(', ')})\n`);
      });
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
