import type { GlobalCommand } from '../index.js';
import { register as explain } from './explain.js';

export type Group = ReturnType<GlobalCommand['command']>;

export function register(program: GlobalCommand): void {
  const group = program.command('cache').description('why steps were cache hits or misses');
  for (const add of [explain]) add(group);
}
