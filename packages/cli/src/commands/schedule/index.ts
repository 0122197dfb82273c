import type { GlobalCommand } from '../index.js';
import { register as del } from '../triggers/delete.js';
import { register as describe } from '../triggers/describe.js';
import { register as history } from '../triggers/history.js';
import { register as list } from '../triggers/list.js';
import { register as pause } from '../triggers/pause.js';
import { register as create } from './create.js';
import { register as trigger } from './trigger.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program
    .command('schedule')
    .description(
      'pipelines run on a cron or interval, fired by `strata agent` (Temporal: by Temporal Schedules)',
    );
  for (const add of [create, list, describe, pause, trigger, del, history]) add(group, 'schedule');
}
