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
