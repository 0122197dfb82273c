import type { z } from 'zod';
import { ErrorBody } from '../schemas/common.js';

/** A JSON response entry of an OpenAPI route. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** The error answers every route can give. */
export const errors = {
  400: json(ErrorBody, 'bad input: the body names the field, the value and the fix'),
  401: json(ErrorBody, 'no valid token'),
  404: json(ErrorBody, 'no such object'),
  429: json(ErrorBody, 'too many failed authentications from this address'),
} as const;

export const writeErrors = {
  ...errors,
  403: json(ErrorBody, "the token's scope does not allow this"),
  409: json(ErrorBody, 'the object is not in a state that allows this'),
  413: json(ErrorBody, 'request body too large'),
} as const;
