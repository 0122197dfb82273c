import type { GlobalCommand } from '../index.js';
import { register as del } from '../triggers/delete.js';
import { register as describe } from '../triggers/describe.js';
import { register as history } from '../triggers/history.js';
import { register as list } from '../triggers/list.js';
import { register as pause } from '../triggers/pause.js';
import { register as create } from './create.js';

export function register(program: GlobalCommand): void {
  const group = program
    .command('trigger')
    .description('runs started by new data, model health, another run completing or a code change');
  for (const add of [create, list, describe, pause, del, history]) add(group, 'trigger');
}
