import type { GlobalCommand } from '../index.js';
import { register as list } from './list.js';
import { register as promote } from './promote.js';
import { register as rollback } from './rollback.js';
import { register as show } from './show.js';
import { register as versions } from './versions.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program
    .command('models')
    .description('registered models: versions, aliases (production, staging, …), promotion and rollback');
  for (const add of [list, show, versions, promote, rollback]) add(group);
}
