import type { Stack } from '@strata/core';

/** Opens the active (or --stack) stack, runs `work`, closes the stack. Imported only inside actions. */
export async function withStack<T>(
  stackFlag: string | undefined,
  work: (stack: Stack) => Promise<T>,
): Promise<T> {
  const lib = await import('@strata/project');
  await lib.enableTypeScript();
  const stack = await lib.openStack(stackFlag === undefined ? {} : { stack: stackFlag });
  try {
    return await work(stack);
  } finally {
    await stack.close();
  }
}

export type GroupName = 'schedule' | 'trigger';

export const stackOf = (command: { optsWithGlobals(): unknown }) =>
  (command.optsWithGlobals() as { stack?: string }).stack;
