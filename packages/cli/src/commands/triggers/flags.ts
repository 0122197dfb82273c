import { StrataError } from '@strata/core';
import { parseInterval } from '@strata/core/plugin';

/** A duration flag (`30s`, `10m`, `0`) in milliseconds; `0` turns it off. */
export function durationFlag(field: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === '0') return 0;
  try {
    return parseInterval(text);
  } catch {
    throw new StrataError(`--${field} ${text} is not a duration`, {
      code: 'invalid_option',
      field,
      value: text,
      fix: 'write a duration with units s, m, h, d, e.g. 30s or 1h',
    });
  }
}

export function numberFlag(field: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new StrataError(`--${field} ${text} is not a number`, {
      code: 'invalid_option',
      field,
      value: text,
      fix: `pass a number, e.g. --${field} 0.8`,
    });
  }
  return value;
}

export function choiceFlag<T extends string>(
  field: string,
  text: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new StrataError(`--${field} ${text} is not one of ${choices.join(', ')}`, {
      code: 'invalid_option',
      field,
      value: text,
      fix: `pass one of: ${choices.join(', ')}`,
    });
  }
  return text as T;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];
