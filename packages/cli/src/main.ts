import { Command } from '@commander-js/extra-typings';
import { STRATA_VERSION } from '@strata/core';
import { registerCommands } from './commands/index.js';
import { reportError } from './output/report-error.js';

/**
 * Builds the program and runs it. Command modules are registered eagerly (cheap: they only declare
 * options) but import their heavy dependencies lazily inside their actions, so `strata --help`
 * stays close to bare Node start-up.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('strata')
    .description('Portable, reproducible ML pipelines in TypeScript')
    .version(STRATA_VERSION)
    .option('--debug', 'print stack traces for errors')
    .option('--stack <name>', 'use this stack instead of the active one');
  registerCommands(program);
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    process.exitCode = reportError(error, program.opts().debug === true);
  }
}
