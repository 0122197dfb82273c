import type { GlobalCommand } from '../index.js';
import { register as create } from './create.js';
import { register as del } from './delete.js';
import { register as list } from './list.js';
import { register as pause } from './pause.js';
import { register as trigger } from './trigger.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program
    .command('schedule')
    .description("pipelines run on a cron schedule by the stack's orchestrator (temporal)");
  for (const add of [create, list, pause, trigger, del]) add(group);
}
