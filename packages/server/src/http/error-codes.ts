/**
 * Codes only the HTTP API answers with: the `error.code` of a JSON error body raised as an HttpError
 * (never a StrataError: they describe the request, not the project). Each maps to its HTTP status.
 * The "HTTP API error bodies" table of docs/errors.md documents every one (error-codes.spec.ts checks
 * it both ways); StrataErrors the routes let through keep their registered code (core errors/codes.ts).
 */
export const httpErrorCodes = {
  unauthorized: 401,
  forbidden: 403,
  too_many_failures: 429,
  body_too_large: 413,
  malformed_json: 400,
  invalid_request: 400,
  unknown_route: 404,
  run_not_resumable: 409,
  internal_error: 500,
} as const;

export type HttpErrorCode = keyof typeof httpErrorCodes;
