import { writeFile } from 'node:fs/promises';
import { withProject } from '../../output/project.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('export')
    .description(
      "write a stack and its components to a YAML file ('-' for stdout); secret values are never included",
    )
    .argument('<name>', 'stack name')
    .argument('<file>', "output file, or '-'")
    .action(async (name, file) => {
      await withProject(async (project, lib) => {
        const yaml = await lib.exportStack(project, name);
        if (file === '-') return void process.stdout.write(yaml);
        await writeFile(file, yaml);
        process.stdout.write(`exported stack ${name} to ${file}\n`);
      });
    });
}
