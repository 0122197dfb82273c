import type { ErrorCode } from './codes.js';

/**
 * Every error a user can cause carries what was wrong (field + value) and how to fix it, so the CLI can
 * print one clear line without a stack trace. Codes are a registry (codes.ts), stable and documented in docs/errors.md for scripting.
 */
export interface StrataErrorDetails {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly value?: unknown;
  readonly fix?: string;
  readonly cause?: unknown;
}

export class StrataError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly fix: string | undefined;

  constructor(message: string, details: StrataErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'StrataError';
    this.code = details.code;
    this.field = details.field;
    this.value = details.value;
    this.fix = details.fix;
  }

  /** One line for humans: the message, then the fix. */
  describe(): string {
    return this.fix ? `${this.message}\n  fix: ${this.fix}` : this.message;
  }
}

/** The pipeline definition is invalid; raised before anything runs. */
export class CompileError extends StrataError {
  constructor(message: string, details: Omit<StrataErrorDetails, 'code'> & { code?: ErrorCode }) {
    super(message, { code: details.code ?? 'compile_error', ...details });
    this.name = 'CompileError';
  }
}

/** Bytes read back do not match the digest recorded when they were written. */
export class IntegrityError extends StrataError {
  constructor(uri: string, expected: string, actual: string) {
    super(`artifact ${uri} is corrupt: expected sha256 ${expected}, read ${actual}`, {
      code: 'integrity_error',
      field: 'sha256',
      value: actual,
      fix: 'the stored object was modified or truncated; re-run the producing step with --no-cache',
    });
    this.name = 'IntegrityError';
  }
}

export function isStrataError(error: unknown): error is StrataError {
  return error instanceof Error && typeof (error as Partial<StrataError>).code === 'string' && 'fix' in error;
}
