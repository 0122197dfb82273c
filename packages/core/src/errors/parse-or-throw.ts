import type { z } from 'zod';
import type { ErrorCode } from './codes.js';
import { CompileError, StrataError } from './strata-error.js';

/** One problem zod found, as reported: where (dotted path) and what. */
export interface ParseProblem {
  readonly field: string;
  readonly message: string;
  readonly code: string;
  /** The value found at that path (undefined when it is missing). */
  readonly value: unknown;
}

export interface ParseContext {
  readonly code: ErrorCode;
  /** What was parsed, first in the message: `run config ci.yaml`, `step "train"`. */
  readonly what: string;
  /** How to fix it; a function sees every problem (e.g. to name the first field in a command). */
  readonly fix: string | ((problems: readonly ParseProblem[]) => string);
  /** Put before each field path, e.g. `params` gives `params.trees`. */
  readonly fieldPrefix?: string;
  /** A CompileError (the pipeline definition is wrong) instead of a plain StrataError. */
  readonly compile?: boolean;
  /** Leave the value out of the error (the input may hold credentials, e.g. a database URL). */
  readonly hideValue?: boolean;
  /**
   * Quote each problem's value in the message (`(given: "abc")`), for input typed by hand such as
   * `--param factor=abc`: zod's "expected number, received string" alone does not say which value was
   * read. Opt-in: most callers' inputs may hold credentials.
   */
  readonly quoteValue?: boolean;
}

/**
 * Parses `input` with `schema`, or throws one StrataError that names every problem zod found (not only
 * the first, so a user fixes a file in one pass): `field` lists the paths, `value` is the value at the
 * first one.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  context: ParseContext,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw parseError(problemsOf(parsed.error, input, context.fieldPrefix), context);
}

/** Every issue of a zod error as a ParseProblem (field path with an optional prefix, and its value). */
export function problemsOf(error: z.ZodError, input: unknown, fieldPrefix?: string): ParseProblem[] {
  return error.issues.map((issue): ParseProblem => {
    const path = issue.path.map(String).join('.');
    const field = fieldPrefix ? (path ? `${fieldPrefix}.${path}` : fieldPrefix) : path;
    return { field, message: issue.message, code: issue.code, value: valueAt(input, issue.path) };
  });
}

/** The StrataError for problems found by zod or by a caller's own checks, in the same shape. */
export function parseError(problems: readonly ParseProblem[], context: ParseContext): StrataError {
  const listed = problems.map(
    (p) =>
      `${p.field ? `"${p.field}" ` : ''}${p.message}${context.quoteValue && !context.hideValue ? givenValue(p.value) : ''}`,
  );
  const message =
    problems.length === 1
      ? `${context.what}: ${listed[0]}`
      : `${context.what}: ${problems.length} problems: ${listed.join('; ')}`;
  const details = {
    code: context.code,
    field: problems.map((p) => p.field || '(top level)').join(', '),
    value: context.hideValue ? undefined : problems[0]?.value,
    fix: typeof context.fix === 'function' ? context.fix(problems) : context.fix,
  };
  return context.compile ? new CompileError(message, details) : new StrataError(message, details);
}

/** ` (given: VALUE)`, short; nothing for a missing value (zod already says it is required). */
function givenValue(value: unknown): string {
  return value === undefined ? '' : ` (given: ${shortValue(value)})`;
}

/** A value as typed (numbers bare, the rest as JSON), cut to 80 characters. */
export function shortValue(value: unknown): string {
  const text =
    typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
