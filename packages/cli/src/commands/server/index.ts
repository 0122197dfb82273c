import type { GlobalCommand } from '../index.js';
import { register as start } from './start.js';
import { register as token } from './token.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program
    .command('server')
    .description('the Strata HTTP API server (runs, artifacts, models, live events) and its API tokens');
  for (const add of [start, token]) add(group);
}
