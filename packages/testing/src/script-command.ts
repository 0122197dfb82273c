import { stepCommand } from '@strata/project';

/**
 * The command that runs a TypeScript script in a fresh Node process the way Strata runs step processes
 * (tsx loaded, workspace packages on their sources): for tests that spawn a pipeline in another process.
 */
export function scriptCommand(script: string, args: readonly string[] = []): string[] {
  const base = stepCommand();
  return [...base.slice(0, -1), script, ...args];
}
