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

/** The zod validation hook's answer: 400 naming the first bad field. */
export function validationResponse(
  c: Context,
  target: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Response {
  const first = issues[0];
  const field = first ? [target, ...first.path.map(String)].join('.') : target;
  return c.json(
    body('invalid_request', `${field}: ${first?.message ?? 'invalid'}`, {
      field,
      fix: 'see /api/v1/openapi.json for the accepted values',
    }),
    400,
  );
}
