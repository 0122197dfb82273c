import { StrataError } from '@strata/core';

/** Component, stack, model and alias names: non-empty, no surrounding whitespace, no control characters. */
export function checkName(field: string, value: unknown): asserts value is string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.trim() !== value ||
    hasControlCharacter(value)
  ) {
    throw new StrataError(`${field} ${JSON.stringify(value)} is not a valid name`, {
      code: 'invalid_name',
      field,
      value,
      fix: 'use a non-empty name without leading or trailing spaces, e.g. `local` or `prod-s3`',
    });
  }
}

export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}
