import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepRunPatch } from '../metadata/metadata-store.js';
import type { ProcessOwner } from './owner.js';

/** A step a process stopped itself for just before it ended (the blocked-loop watchdog). */
export interface LastWord {
  readonly runId: string;
  readonly stepRunId: string;
  /** Why, with what to do: becomes the step's error. */
  readonly message: string;
  /**
   * When the stopped attempt's body started, and which attempt it was: a step that blocks the loop at
   * once never got its `running` mark written (running-mark.ts), so its row has no start time.
   */
  readonly startedAt?: number;
  readonly attempt?: number;
}

/** The row patch that records a stopped step `timed_out` at `at`, with its start and attempt when known. */
export function timedOutPatch(word: LastWord, at: number): StepRunPatch {
  return {
    status: 'timed_out',
    endedAt: at,
    error: word.message,
    ...(word.startedAt === undefined ? {} : { startedAt: word.startedAt }),
    ...(word.attempt === undefined ? {} : { attempt: word.attempt }),
  };
}

/**
 * What a process that must end at once (its event loop is blocked, so nothing async can run) leaves
 * for the reader that finds it gone: a file named by its owner identity on this host, written
 * synchronously. The reader records the steps it names `timed_out` instead of `crashed`. The files are
 * tiny and left to the temp folder's cleaning (two readers may both need one).
 */
function pathFor(owner: Pick<ProcessOwner, 'bootId' | 'pid' | 'startTicks'>): string {
  return join(tmpdir(), 'strata-last-words', `${owner.bootId}-${owner.pid}-${owner.startTicks}.json`);
}

export function writeLastWords(owner: ProcessOwner, words: readonly LastWord[]): void {
  const file = pathFor(owner);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(words));
  renameSync(`${file}.tmp`, file);
}

/** The last words of a process that is gone (undefined when it left none). */
export function readLastWords(owner: ProcessOwner): LastWord[] | undefined {
  try {
    return JSON.parse(readFileSync(pathFor(owner), 'utf8')) as LastWord[];
  } catch {
    return undefined;
  }
}
