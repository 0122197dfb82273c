import { InvalidArgumentError } from '@commander-js/extra-typings';

/**
 * A commander argument parser for a whole number in [min, max]: `-n abc` or `--port 70000` is a usage
 * error (exit 2, the option named) instead of a NaN reaching the database or the socket.
 */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}".`);
    return n;
  };
}

export const PORT = wholeNumber(0, 65_535);
export const LIMIT = wholeNumber(1, 1_000_000);

/**
 * A commander argument parser for one of a fixed set of words: `runs list --status bogus` is a usage
 * error naming the choices instead of an empty list that looks like "no such runs".
 */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value))
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${value}".`);
    return value as T;
  };
}

export const RUN_STATUS = oneOf([
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
  'crashed',
] as const);
