import { readlinkSync } from 'node:fs';

/**
 * This process's PID namespace (`pid:[4026531836]`), or 'unknown' off Linux. A container started with
 * `--network host` has the host's name but pids of its own: only an agent recorded in this namespace
 * can be judged by its pid from here.
 */
export function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return 'unknown';
  }
}
