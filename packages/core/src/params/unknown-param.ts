import type { z } from 'zod';
import { shortValue } from '../errors/parse-or-throw.js';
import { CompileError } from '../errors/strata-error.js';
import { didYouMean } from './did-you-mean.js';
import { findUnknownKey } from './known-params.js';

/**
 * Throws a CompileError for the first given parameter key, at any depth, that `schema` does not
 * declare (zod would drop it silently), with the closest declared key as a suggestion. `where` names
 * the pipeline or step; `source` says where the value came from when that is known (command line,
 * run config).
 */
export function rejectUnknownParams(
  where: string,
  schema: z.ZodType | undefined,
  given: Readonly<Record<string, unknown>>,
  source = 'the params',
): void {
  const names = Object.keys(given).filter((k) => given[k] !== undefined);
  if (names.length === 0) return;
  // No schema: the step or pipeline declares no parameters, so every name is unknown.
  const unknown = schema
    ? findUnknownKey(schema, given)
    : { path: [names[0]!], value: given[names[0]!], known: [] };
  if (unknown === undefined) return;
  const parent = unknown.path.slice(0, -1);
  const name = unknown.path.join('.');
  const nearest = didYouMean(unknown.path.at(-1)!, unknown.known);
  const guess = nearest === undefined ? undefined : [...parent, nearest].join('.');
  const at = parent.length === 0 ? '' : ` the keys of "${parent.join('.')}"`;
  const notes = [`given: ${shortValue(unknown.value)}`, ...(guess ? [`did you mean "${guess}"?`] : [])];
  throw new CompileError(`${where}: unknown parameter "${name}" (${notes.join('; ')})`, {
    code: 'unknown_param',
    field: `params.${name}`,
    value: unknown.value,
    fix:
      unknown.known.length === 0
        ? parent.length === 0
          ? `it declares no parameters; remove "${name}" from ${source}`
          : `"${parent.join('.')}" declares no keys; remove "${name}" from ${source}`
        : guess
          ? `rename "${name}" to "${guess}" in ${source}`
          : `use one of${at}: ${unknown.known.join(', ')} (in ${source})`,
  });
}
