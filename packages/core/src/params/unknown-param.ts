import type { z } from 'zod';
import { CompileError } from '../errors/strata-error.js';
import { didYouMean } from './did-you-mean.js';
import { knownParams } from './known-params.js';

/**
 * Throws a CompileError for the first given parameter name that `schema` does not declare (with the
 * closest declared name as a suggestion). `where` names the pipeline or step; `source` says where the
 * value came from when that is known (command line, run config).
 */
export function rejectUnknownParams(
  where: string,
  schema: z.ZodType | undefined,
  given: Readonly<Record<string, unknown>>,
  source = 'the params',
): void {
  const names = Object.keys(given).filter((k) => given[k] !== undefined);
  if (names.length === 0) return;
  const known = schema ? knownParams(schema) : new Set<string>();
  if (known === undefined) return;
  const unknown = names.find((n) => !known.has(n));
  if (unknown === undefined) return;
  const guess = didYouMean(unknown, known);
  const declared = [...known];
  throw new CompileError(
    `${where}: unknown parameter "${unknown}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
    {
      code: 'unknown_param',
      field: `params.${unknown}`,
      value: given[unknown],
      fix:
        declared.length === 0
          ? `it declares no parameters; remove "${unknown}" from ${source}`
          : guess
            ? `rename "${unknown}" to "${guess}" in ${source}`
            : `use one of: ${declared.join(', ')} (in ${source})`,
    },
  );
}
