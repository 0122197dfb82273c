import { promisify } from 'node:util';

/**
 * Runs `git ARGS` in `cwd` (rejecting on a non-zero exit). child_process is imported on first use:
 * `strata run` imports the modules that call this (through the package's index) and never runs git
 * there, and loading child_process cost every start ~2 ms.
 */
export async function git(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  const { execFile } = await import('node:child_process');
  return promisify(execFile)('git', args, { cwd });
}
