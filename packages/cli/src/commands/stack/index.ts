import type { GlobalCommand } from '../index.js';
import { register as copy } from './copy.js';
import { register as del } from './delete.js';
import { register as describe } from './describe.js';
import { register as exportStack } from './export.js';
import { register as importStack } from './import.js';
import { register as list } from './list.js';
import { register as registerStack } from './register.js';
import { register as rename } from './rename.js';
import { register as set } from './set.js';
import { register as update } from './update.js';
import { register as validate } from './validate.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program
    .command('stack')
    .description(
      'stacks: an orchestrator, an artifact store and optional components, switched with one command',
    );
  for (const add of [
    registerStack,
    set,
    list,
    describe,
    validate,
    update,
    rename,
    copy,
    del,
    exportStack,
    importStack,
  ])
    add(group);
}
