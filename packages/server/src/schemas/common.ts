import { z } from 'zod';

/** Any JSON value (params, metrics, summaries). */
export const Json: z.ZodType<unknown> = z.unknown().meta({ id: 'Json', description: 'any JSON value' });

/** Epoch milliseconds. */
export const Millis = z.number().int().meta({ description: 'epoch milliseconds' });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'stable error code (see docs/errors.md)' }),
      message: z.string(),
      field: z.string().optional(),
      value: z.unknown().optional(),
      fix: z.string().optional(),
    }),
  })
  .meta({ id: 'Error', description: 'every non-2xx response has this body' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A query-string integer in [min, max] with a default (query values arrive as text). */
export function queryInt(min: number, max: number, fallback: number) {
  return z.coerce.number().int().min(min).max(max).default(fallback);
}

/** A time filter: epoch milliseconds or an ISO 8601 date-time, as a number. */
export const TimeQuery = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const n = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date-time' });
      return z.NEVER;
    }
    return n;
  })
  .meta({ description: 'epoch milliseconds or ISO 8601 date-time', example: '2026-12-01T00:00:00Z' });

/** Path parameter ids: bounded, printable, no separators that could climb out of a path. */
export const Id = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[^\0\r\n]+$/, 'must not contain control characters');
