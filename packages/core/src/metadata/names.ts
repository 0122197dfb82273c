/** Name rules every StrataDatabase enforces (SQL repositories and the in-memory one alike). */
import { StrataError } from '../errors/strata-error.js';

/** Longest stack, component, model or alias name: it pads every row of a listing, and names files. */
export const NAME_MAX_LENGTH = 64;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Component, stack, model and alias names: 1 to 64 letters, digits, ".", "_" and "-", starting with a
 * letter or digit. They appear in commands, table rows, file and container names, so nothing that
 * needs quoting or could pad a listing to 10 KB.
 */
export function checkName(field: string, value: unknown): asserts value is string {
  if (typeof value === 'string' && value.length <= NAME_MAX_LENGTH && NAME.test(value)) return;
  const shown =
    typeof value === 'string' && value.length > 80
      ? `${value.slice(0, 60)}… (${value.length} characters)`
      : value;
  throw new StrataError(`${field} ${JSON.stringify(shown)} is not a valid name`, {
    code: 'invalid_name',
    field,
    value: shown,
    fix: `use 1 to ${NAME_MAX_LENGTH} letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. \`local\` or \`prod-s3\``,
  });
}

export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
