import { Command, CommanderError } from '@commander-js/extra-typings';
import { commandGroups, type GlobalCommand } from './commands/index.js';
import { onClosedPipe } from './output/closed-pipe.js';
import { EXIT, reportError } from './output/report-error.js';

/** Kept in step with @strata/core's STRATA_VERSION (importing core here would cost ~300 ms at start). */
export const CLI_VERSION = '0.1.0';

/** The first word that is not an option (or the value of `--stack`): the command group to load. */
function groupOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--stack') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

export function createProgram(): GlobalCommand {
  return new Command('strata')
    .description('Portable, reproducible ML pipelines in TypeScript')
    .version(CLI_VERSION)
    .option('--debug', 'print stack traces for errors')
    .option('--stack <name>', 'use this stack instead of the active one')
    .exitOverride()
    .showSuggestionAfterError();
}

/**
 * Lazy registration: only the group named on the command line is imported and registered in full;
 * every other group is a one-line stub (name + description) so `strata --help` lists them all without
 * loading any of them. Actions import heavy modules (@strata/project, the SDK, plugins) themselves.
 */
export async function registerGroups(
  program: GlobalCommand,
  wanted: string | 'all' | undefined,
): Promise<void> {
  for (const group of commandGroups) {
    if (wanted === 'all' || wanted === group.name) (await group.load()).register(program);
    else program.command(group.name).description(group.description);
  }
}

/**
 * `strata runs list | head -1`: once the reader is gone, writes fail with EPIPE. That is the reader's
 * choice, not an error: stop quietly (a stack trace or "unexpected error" here would be noise), or
 * while a run is driven, go on without output (output/closed-pipe.ts).
 * Any other write error (output redirected to a full disk: ENOSPC, EDQUOT, EIO) is the environment's:
 * say so once on the other stream, drop further output so a running pipeline still finishes and is
 * recorded, and exit 2 rather than 0 since the output is incomplete.
 */
function guardOutputStreams(): void {
  let lost = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (onClosedPipe(stream, error, () => process.exit(process.exitCode ?? EXIT.ok))) return;
      if (lost) return;
      lost = true;
      stream.write = () => true;
      const other = stream === process.stdout ? process.stderr : process.stdout;
      const name = stream === process.stdout ? 'stdout' : 'stderr';
      try {
        other.write(
          `error: cannot write to ${name}: ${error.code ?? error.message}; the rest of this command's output there is lost\n` +
            `  fix: free space where ${name} is redirected (df -h), or redirect it elsewhere\n`,
        );
      } catch {
        // Both streams are gone: the exit code still says so.
      }
      process.on('exit', (code) => {
        if (code === EXIT.ok) process.exitCode = EXIT.badInput;
      });
    });
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  guardOutputStreams();
  const program = createProgram();
  const wanted = groupOf(argv.slice(2));
  try {
    await registerGroups(program, wanted === 'completion' ? 'all' : wanted);
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version or its usage message.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
      return;
    }
    process.exitCode = reportError(error, program.opts().debug === true || argv.includes('--debug'));
  }
}
