import { readFile } from 'node:fs/promises';
import { printJson } from '../../output/format.js';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('import')
    .description('create a stack (and its missing components) from a file written by `stack export`')
    .argument('<file>', 'YAML file')
    .option('--name <name>', 'import under this stack name')
    .option('--set', 'also make it the active stack')
    .option('--json', 'print JSON')
    .action(async (file, options) => {
      const { StrataError } = await import('@strata/core');
      const text = await readFile(file, 'utf8').catch(() => {
        throw new StrataError(`cannot read ${file}`, {
          code: 'no_such_file',
          field: 'file',
          value: file,
          fix: 'check the path',
        });
      });
      await withProject(async (project, lib) => {
        const result = await lib.importStack(project, text, file, options.name);
        if (options.set) await lib.setActiveStack(project, result.name);
        if (options.json) return printJson(result);
        process.stdout.write(
          `imported stack ${result.name} (created: ${result.created.join(', ') || 'none'}; reused: ${result.reused.join(', ') || 'none'})\n`,
        );
      });
    });
}
