import type { Command } from '@commander-js/extra-typings';
import { registerRun } from './run.js';
import { registerStepRun } from './step/run.js';

export function registerCommands(program: Command<[], { debug?: true; stack?: string }>): void {
  registerRun(program);
  registerStepRun(program);
}
