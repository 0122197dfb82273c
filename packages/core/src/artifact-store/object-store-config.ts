import { z } from 'zod';

/**
 * Config fields that every object-store artifact store flavor (s3, gcs, azure) declares with the same
 * meaning, bounds and default: spread them into the flavor's `z.object({...})`.
 */
export const objectStoreRetryConfig = {
  maxAttempts: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(8)
    .describe('attempts per request (backoff with jitter between them)'),
};

/**
 * `schema`, refined so that two optional fields (an access key id and its secret, a service account
 * and its key) are given together or not at all; the issue is reported on the second field.
 * `otherwise` says what is used when neither is given, e.g. "the SDK credential chain".
 */
export function givenTogether<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  fields: readonly [first: keyof z.output<S> & string, second: keyof z.output<S> & string],
  otherwise: string,
): S {
  const [first, second] = fields;
  return schema.refine((c) => (c[first] === undefined) === (c[second] === undefined), {
    message: `${first} and ${second} must be given together (or neither, to use ${otherwise})`,
    path: [second],
  });
}
