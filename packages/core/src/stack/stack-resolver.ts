import { StrataError } from '../errors/strata-error.js';
import type { Stack } from './stack.js';

/** Implemented by @strata/project: turns a stack name (or the project's active one) into a live Stack. */
export type StackResolver = (options: { stack?: string; cwd?: string }) => Promise<Stack>;

const key = Symbol.for('strata.stack-resolver');
type Holder = { [key]?: StackResolver };

export function setStackResolver(resolver: StackResolver): void {
  (globalThis as Holder)[key] = resolver;
}

/**
 * Finds the active stack for library use (`pipeline.run()` without a stack). The resolver lives in
 * @strata/project, which depends on the metadata store and the flavor plugins: importing it registers
 * the resolver (the CLI and `strata run` do). Core never looks for it at run time, so it stays free of
 * those dependencies (the dependency rules in .dependency-cruiser.cjs hold this).
 */
export async function resolveStack(stack: Stack | string | undefined, cwd = process.cwd()): Promise<Stack> {
  if (typeof stack === 'object') return stack;
  const resolver = (globalThis as Holder)[key];
  if (!resolver) {
    throw new StrataError(
      'no stack given and no stack resolver registered (@strata/project was not imported)',
      {
        code: 'no_stack',
        field: 'stack',
        value: stack,
        fix: "pass { stack } to run(), or import '@strata/project' once in the program (it registers the project's active stack)",
      },
    );
  }
  return resolver(stack === undefined ? { cwd } : { stack, cwd });
}
