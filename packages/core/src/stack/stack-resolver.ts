import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
 * @strata/project, which depends on the metadata store and the flavor plugins; core only knows how to
 * find it in the user's project, so core itself stays free of those dependencies.
 */
export async function resolveStack(stack: Stack | string | undefined, cwd = process.cwd()): Promise<Stack> {
  if (typeof stack === 'object') return stack;
  let resolver = (globalThis as Holder)[key];
  if (!resolver) {
    try {
      const path = createRequire(join(cwd, 'package.json')).resolve('@strata/project');
      await import(pathToFileURL(path).href);
      resolver = (globalThis as Holder)[key];
    } catch {
      // reported below
    }
  }
  if (!resolver) {
    throw new StrataError('no stack given and @strata/project is not installed in this project', {
      code: 'no_stack',
      field: 'stack',
      value: stack,
      fix: 'pass { stack } to run(), or add @strata/project (or @strata/cli) to the project dependencies',
    });
  }
  return resolver(stack === undefined ? { cwd } : { stack, cwd });
}
