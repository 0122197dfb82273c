import type { GlobalCommand } from '../index.js';
import { register as exportArtifact } from './export.js';
import { register as lineage } from './lineage.js';
import { register as list } from './list.js';
import { register as show } from './show.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program
    .command('artifacts')
    .description('artifacts: content-addressed step outputs and their lineage');
  for (const add of [list, show, lineage, exportArtifact]) add(group);
}
