import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { queryInt } from '../schemas/common.js';
import { newApp } from './app-type.js';
import { json } from './route-kit.js';

/** One route with the query and path schemas the API uses, answered by the app's validation hook. */
function app() {
  const api = newApp();
  api.openapi(
    createRoute({
      method: 'post',
      path: '/things/{id}',
      request: {
        params: z.object({ id: z.string().regex(/^t-\d+$/) }),
        query: z.object({ limit: queryInt(1, 200, 50), order: z.enum(['asc', 'desc']).default('desc') }),
        body: { content: { 'application/json': { schema: z.object({ password: z.string().min(12) }) } } },
      },
      responses: { 200: json(z.object({ ok: z.boolean() }), 'ok') },
    }),
    (c) => c.json({ ok: true }, 200),
  );
  return api;
}

async function refusal(path: string, body: unknown = { password: 'long enough secret' }) {
  const res = await app().request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(400);
  return ((await res.json()) as { error: Record<string, unknown> }).error;
}

describe('the validation answer', () => {
  it('quotes a bad query value and says what to give instead', async () => {
    expect(await refusal('/things/t-1?limit=abc')).toEqual({
      code: 'invalid_request',
      message: 'query.limit: Invalid input: expected number, received NaN (given: "abc")',
      field: 'query.limit',
      value: 'abc',
      fix: 'give limit a number; see /api/v1/openapi.json for the accepted values',
    });
    expect(await refusal('/things/t-1?limit=1000')).toMatchObject({
      value: '1000',
      fix: expect.stringMatching(/^give limit at most 200; /),
    });
    expect(await refusal('/things/t-1?limit=0')).toMatchObject({
      fix: expect.stringMatching(/^give limit at least 1; /),
    });
    expect(await refusal('/things/t-1?limit=1.5')).toMatchObject({
      fix: expect.stringMatching(/^give limit a whole number; /),
    });
    expect(await refusal('/things/t-1?order=up')).toMatchObject({
      field: 'query.order',
      value: 'up',
      fix: expect.stringMatching(/^give order one of asc, desc; /),
    });
  });

  it('quotes a bad path parameter, cut to 200 characters', async () => {
    const error = await refusal(`/things/${'x'.repeat(300)}`);
    expect(error).toMatchObject({ field: 'param.id', value: 'x'.repeat(200) });
    expect(error.message).toContain(`(given: "${'x'.repeat(200)}")`);
  });

  it('never quotes a body value back: a body may carry a credential', async () => {
    const error = await refusal('/things/t-1', { password: 'hunter2' });
    expect(error.field).toBe('json.password');
    expect(error).not.toHaveProperty('value');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });
});
