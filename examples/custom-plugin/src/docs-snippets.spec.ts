// docs/plugins.md shows only code that exists: every fenced block is preceded by
// `<!-- snippet: PATH -->` and is found verbatim in that file (the example's sources and specs,
// which their own specs run, or core's interface declarations, which the build type-checks).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const page = readFileSync(join(repo, 'docs/plugins.md'), 'utf8');

interface Block {
  readonly line: number;
  readonly lang: string;
  readonly file: string | undefined;
  readonly body: string;
}

function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    const marker = /^<!-- snippet: (\S+) -->$/.exec(lines[i - 1] ?? '');
    out.push({ line: i + 1, lang: open[1]!, file: marker?.[1], body: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

describe('docs/plugins.md snippets', () => {
  const all = blocks(page);

  it('has the snippets of every component type', () => {
    expect(all.length).toBeGreaterThan(30);
    for (const file of [
      'mirror-artifact-store.ts',
      'sequential-orchestrator.ts',
      'json-file-model-registry.ts',
      'jsonl-experiment-tracker.ts',
      'markdown-alerter.ts',
    ])
      expect(
        all.some((b) => b.file === `examples/custom-plugin/src/${file}`),
        file,
      ).toBe(true);
  });

  it.each(all.map((b) => [b.line, b] as const))(
    'block at line %i is a verbatim excerpt of its file',
    (_, b) => {
      expect(b.file, 'a <!-- snippet: PATH --> line right above the block').toBeDefined();
      const text = readFileSync(join(repo, b.file!), 'utf8');
      expect(text.includes(b.body), `not found verbatim in ${b.file}`).toBe(true);
    },
  );

  it('every command of try-it.sh is one that plugin.spec.ts runs', () => {
    const spec = readFileSync(join(repo, 'examples/custom-plugin/src/plugin.spec.ts'), 'utf8')
      .replace(/\s+/g, ' ')
      .replace(/\( /g, '(');
    const commands = readFileSync(join(repo, 'examples/custom-plugin/try-it.sh'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('strata '));
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) {
      const words: string[] = [];
      for (const word of command.replace(/#.*/, '').trim().split(/\s+/).slice(1)) {
        if (word.includes('=') || word.includes('/') || word.startsWith("'")) break;
        words.push(word);
      }
      expect(spec, command).toContain(`p.strata(${words.map((w) => `'${w}'`).join(', ')}`);
    }
  });

  it('the config example lists the plugin by its package name', () => {
    const config = JSON.parse(readFileSync(join(repo, 'examples/custom-plugin/strata-config.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(join(repo, 'examples/custom-plugin/package.json'), 'utf8'));
    expect(config).toEqual({ version: 1, activeStack: 'default', plugins: [pkg.name] });
  });
});
