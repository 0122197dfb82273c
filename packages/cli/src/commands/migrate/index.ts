import type { GlobalCommand } from '../index.js';
import { register as status } from './status.js';
import { register as up } from './up.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program
    .command('migrate')
    .description('the metadata database schema: show its version, apply pending migrations');
  for (const add of [status, up]) add(group);
}
