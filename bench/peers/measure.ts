/** Runs one command in a fresh process and times it: wall clock, and CPU via /usr/bin/time. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Sample } from './stats.js';

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export interface Command {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Fails the measurement unless stdout+stderr contain it (proves the run did the work). */
  readonly expect?: RegExp;
}

export function runTimed(command: Command, timeoutMs = 1_800_000): Sample & { output: string } {
  const load = loadavg()[0]!;
  const [file, ...args] = command.argv as [string, ...string[]];
  const start = process.hrtime.bigint();
  const result = TIME
    ? spawnSync(TIME, ['-f', '__cpu %U %S', file, ...args], {
        cwd: command.cwd,
        env: command.env,
        encoding: 'utf8',
        maxBuffer: 256 * 2 ** 20,
        timeout: timeoutMs,
      })
    : spawnSync(file, args, { cwd: command.cwd, env: command.env, encoding: 'utf8', timeout: timeoutMs });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(
      `${command.argv.join(' ')} (in ${command.cwd}) exited with ${result.signal ?? result.status}:\n${output.slice(-3000)}`,
    );
  }
  if (command.expect && !command.expect.test(output)) {
    throw new Error(`${command.argv.join(' ')}: output lacks ${command.expect}:\n${output.slice(-3000)}`);
  }
  const cpu = /__cpu ([\d.]+) ([\d.]+)/.exec(result.stderr ?? '');
  const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : Number.NaN;
  return { wallMs, cpuMs, load, output };
}
