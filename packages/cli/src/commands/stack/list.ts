import type { QuickStack } from '@strata/project/quick-catalog';
import { bold, printJson, printTable } from '../../output/format.js';
import type { Group } from './index.js';

export function register(group: Group): void {
  group
    .command('list')
    .description('list stacks; * marks the active one')
    .option('--json', 'print JSON')
    .action(async (options, command) => {
      const { stack: override } = command.optsWithGlobals() as { stack?: string };
      // Fast path: read an embedded SQLite store directly; anything unusual takes the full path.
      const { quickListStacks } = await import('@strata/project/quick-catalog');
      let stacks: QuickStack[] | undefined = quickListStacks(
        override === undefined ? {} : { stack: override },
      );
      if (!stacks) {
        const { readProject } = await import('../../output/project.js');
        stacks = await readProject((project, lib) => lib.listStacks(project, override));
      }
      if (options.json) return printJson(stacks);
      const types = [...new Set(stacks.flatMap((s) => Object.keys(s.components)))].sort(
        (a, b) => rank(a) - rank(b) || a.localeCompare(b),
      );
      printTable(
        ['', 'STACK', ...types.map((t) => t.toUpperCase().replace(/_/g, ' '))],
        stacks.map((s) => [
          s.active ? '*' : '',
          s.active ? bold(s.name) : s.name,
          ...types.map((t) =>
            s.components[t] ? `${s.components[t]!.name} (${s.components[t]!.flavor})` : '-',
          ),
        ]),
      );
    });
}

const order = ['orchestrator', 'artifact_store', 'model_registry', 'deployer', 'experiment_tracker'];
const rank = (type: string) => (order.includes(type) ? order.indexOf(type) : order.length);
