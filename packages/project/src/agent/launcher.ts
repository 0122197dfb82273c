import { isAbsolute, join } from 'node:path';
import type { FiringRecord, TriggerRecord } from '@strata/core/plugin';
import { firingParam, firingParams } from '../triggers/fire-params.js';

/**
 * Starts the run of a firing as `strata run` in a child process: the pipeline's code is imported fresh
 * (a code-change trigger sees the new commit), a failing or crashing pipeline cannot take the agent
 * down, and the run executes on the target stack like any other. The run id and the firing are passed
 * in the environment; `strata run` records the firing on the run (lineage) and uses that id.
 */
export interface RunLauncher {
  launch(trigger: TriggerRecord, firing: FiringRecord, projectRoot: string): Promise<void>;
}

export interface LaunchedRun {
  readonly pid: number;
  readonly exited: Promise<number | null>;
}

/**
 * What a failed `strata run` said, for the firing's record and the agent's log: from its last
 * `error:` line to the end (the message and its `fix:`), on one line. Only the last line was kept,
 * so a pipeline file deleted after the trigger's creation was recorded as "fix: check the path".
 */
export function exitDetail(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const from = lines.findLastIndex((l) => l.startsWith('error:'));
  return (from === -1 ? lines.slice(-1) : lines.slice(from)).join(' ').slice(0, 1000);
}

export function childProcessLauncher(
  runCommand: readonly string[],
  /** `detail`: exitDetail of the run's stderr. */
  onExit?: (firing: FiringRecord, code: number | null, detail: string) => void,
): RunLauncher & { readonly children: Set<LaunchedRun> } {
  const children = new Set<LaunchedRun>();
  return {
    children,
    async launch(trigger, firing, projectRoot) {
      const module = isAbsolute(trigger.target.module)
        ? trigger.target.module
        : join(projectRoot, trigger.target.module);
      const params = { ...trigger.target.params, ...firingParams(trigger.condition, firing.evidence) };
      const args = [
        ...runCommand.slice(1),
        'run',
        module,
        '--pipeline',
        trigger.target.pipeline,
        ...Object.entries(params).flatMap(([k, v]) => ['-p', `${k}=${JSON.stringify(v)}`]),
        ...(trigger.target.stack === undefined ? [] : ['--stack', trigger.target.stack]),
      ];
      // Imported here: `strata run` imports this module (through the package's index) and never launches.
      const { spawn } = await import('node:child_process');
      const child = spawn(runCommand[0]!, args, {
        cwd: projectRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          ...process.env,
          STRATA_RUN_ID: firing.runId ?? '',
          STRATA_TRIGGER_FIRING: JSON.stringify({
            trigger: trigger.name,
            kind: trigger.kind,
            firing: firing.id,
            reason: firing.reason,
            // The parameter the firing sets: `strata run` cuts its value to what the pipeline declares.
            ...(firingParam(trigger.condition) === undefined
              ? {}
              : { param: firingParam(trigger.condition) }),
          }),
        },
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr = (stderr + d).slice(-4000);
      });
      const exited = new Promise<number | null>((resolve) => {
        child.on('error', () => resolve(null));
        child.on('exit', (code) => resolve(code));
      });
      const launched = { pid: child.pid ?? -1, exited };
      children.add(launched);
      void exited.then((code) => {
        children.delete(launched);
        onExit?.(firing, code, exitDetail(stderr));
      });
    },
  };
}
