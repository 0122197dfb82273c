import type { GlobalCommand } from '../index.js';
import { register as cancel } from './cancel.js';
import { register as list } from './list.js';
import { register as logs } from './logs.js';
import { register as resume } from './resume.js';
import { register as show } from './show.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program.command('runs').description('pipeline runs recorded in the metadata store');
  for (const add of [list, show, logs, resume, cancel]) add(group);
}
