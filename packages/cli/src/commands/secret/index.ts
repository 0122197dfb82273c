import type { GlobalCommand } from '../index.js';
import { register as del } from './delete.js';
import { register as list } from './list.js';
import { register as set } from './set.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program
    .command('secret')
    .description(
      'secrets, referenced from component configs as {{secret.NAME.KEY}}; values are never printed',
    );
  for (const add of [set, list, del]) add(group);
}
