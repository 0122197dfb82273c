import type { ErrorBody } from '../schemas/common.js';

/** A non-2xx answer, with the server's error code, field, value and fix. */
export class StrataApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly fix: string | undefined;

  constructor(status: number, body: ErrorBody['error']) {
    super(body.message);
    this.name = 'StrataApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.value = body.value;
    this.fix = body.fix;
  }

  /** One line for humans: the message, then the fix (the same shape as a StrataError's). */
  describe(): string {
    return this.fix ? `${this.message}\n  fix: ${this.fix}` : this.message;
  }
}

export async function toApiError(response: Response): Promise<StrataApiError> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>;
    if (parsed.error && typeof parsed.error.code === 'string')
      return new StrataApiError(response.status, parsed.error);
  } catch {
    // not JSON: a proxy's page, for example
  }
  return new StrataApiError(response.status, {
    code: `http_${response.status}`,
    message: `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 200)}`,
  });
}
