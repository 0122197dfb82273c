import { type ErrorCode, isStrataError } from '@strata/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from '../schemas/common.js';
import type { HttpErrorCode } from './error-codes.js';

/** An error with an HTTP status and the same body shape as every StrataError. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: HttpErrorCode | ErrorCode,
    message: string,
    readonly details: { field?: string; value?: unknown; fix?: string } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Things a path can name; `unknown_<what>` is a registered code for each. */
type Named = 'run' | 'artifact' | 'model' | 'snapshot' | 'stack' | 'step_run';

export function notFound(what: Named, id: string, fix: string): HttpError {
  return new HttpError(404, `unknown_${what}`, `${what} "${id.slice(0, 200)}" does not exist`, {
    field: what,
    value: id.slice(0, 200),
    fix,
  });
}

/** StrataError codes that mean "the thing you named is not there" or "your input is wrong". */
function statusOfCode(code: string): ContentfulStatusCode {
  if (code.startsWith('unknown_') || code === 'no_runs') return 404;
  if (code === 'duplicate_id' || code === 'run_finished' || code === 'conflict') return 409;
  if (code === 'model_not_blessed') return 409;
  if (code === 'integrity_error') return 502;
  return 400;
}

function body(
  code: string,
  message: string,
  d: { field?: string | undefined; value?: unknown; fix?: string | undefined },
): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(d.field === undefined ? {} : { field: d.field }),
      ...(d.value === undefined ? {} : { value: d.value }),
      ...(d.fix === undefined ? {} : { fix: d.fix }),
    },
  };
}

/**
 * One error body for everything: HttpErrors and StrataErrors keep their code, field, value and fix;
 * anything else is a Strata bug, answered 500 without internals (the server logs it).
 */
export function errorResponse(c: Context, error: unknown, log: (e: unknown) => void): Response {
  if (error instanceof HttpError) return c.json(body(error.code, error.message, error.details), error.status);
  if (error instanceof HTTPException) {
    // Hono's own refusals, e.g. a body that is not JSON.
    const status = error.status as ContentfulStatusCode;
    const malformed = /json/i.test(error.message);
    return c.json(
      body(malformed ? 'malformed_json' : `http_${status}`, error.message || 'bad request', {
        field: 'body',
        ...(malformed ? { fix: 'send a JSON object with content-type application/json' } : {}),
      }),
      status,
    );
  }
  if (isStrataError(error)) {
    return c.json(
      body(error.code, error.message, { field: error.field, value: error.value, fix: error.fix }),
      statusOfCode(error.code),
    );
  }
  log(error);
  return c.json(body('internal_error', 'internal server error (logged on the server)', {}), 500);
}

/** A zod issue as the validation hook sees it (zod 4's fields that say what was expected). */
interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly expected?: unknown;
  readonly maximum?: unknown;
  readonly minimum?: unknown;
  readonly values?: readonly unknown[];
}

/** Targets whose values are quoted back: the URL's own text. A body may hold credentials. */
const QUOTED_TARGETS = new Set(['query', 'param']);

/**
 * The zod validation hook's answer: 400 naming the first bad field, the value given (query and path
 * only) and what to send instead. `?limit=abc` said only 'query.limit: Invalid input: expected number,
 * received NaN', neither the value nor the accepted range.
 */
export function validationResponse(
  c: Context,
  target: string,
  issues: readonly Issue[],
  input?: unknown,
): Response {
  const first = issues[0];
  const field = first ? [target, ...first.path.map(String)].join('.') : target;
  const given = QUOTED_TARGETS.has(target) && first ? valueAt(input, first.path) : undefined;
  const quoted = given === undefined ? '' : ` (given: ${JSON.stringify(given)})`;
  return c.json(
    body('invalid_request', `${field}: ${first?.message ?? 'invalid'}${quoted}`, {
      field,
      ...(given === undefined ? {} : { value: given }),
      fix: `${first ? fixOf(field, first) : ''}see /api/v1/openapi.json for the accepted values`,
    }),
    400,
  );
}

/** The raw text at `path` (a query value is a string; a repeated one, the first), cut to 200 characters. */
function valueAt(input: unknown, path: readonly PropertyKey[]): string | undefined {
  let value = input;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  if (Array.isArray(value)) value = value[0];
  return typeof value === 'string' ? value.slice(0, 200) : undefined;
}

/** What to send instead, from what zod expected; '' when the issue does not say. */
function fixOf(field: string, issue: Issue): string {
  const name = field.split('.').at(-1);
  switch (issue.code) {
    case 'too_big':
      return `give ${name} at most ${String(issue.maximum)}; `;
    case 'too_small':
      return `give ${name} at least ${String(issue.minimum)}; `;
    case 'invalid_value':
      return `give ${name} one of ${(issue.values ?? []).map(String).join(', ')}; `;
    case 'invalid_type':
      if (issue.expected === 'int') return `give ${name} a whole number; `;
      if (issue.expected === 'number') return `give ${name} a number; `;
      return '';
    default:
      return '';
  }
}
