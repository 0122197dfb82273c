import type { ApiTokenRecord, ServerStore } from '@strata/metadata';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ServerDeps } from '../deps.js';
import type { AppEnv } from '../http/app-type.js';
import { errorResponse } from '../http/errors.js';
import { FailureLimiter } from './rate-limit.js';
import { tokenAuthenticator } from './token-authenticator.js';
import { generateToken, hashSecret } from './token-secret.js';

/** An app behind the token authenticator whose server log is kept, with one live and one revoked token. */
async function setup() {
  const live = generateToken();
  const revoked = generateToken();
  const row = async (t: typeof live, revokedAt: number | null): Promise<ApiTokenRecord> => ({
    id: t.id,
    name: `ci-${t.id.slice(0, 4)}`,
    scope: 'read',
    hash: await hashSecret(t.secret),
    createdBy: 'admin',
    createdAt: 0,
    lastUsedAt: null,
    revokedAt,
  });
  const rows = new Map([
    [live.id, await row(live, null)],
    [revoked.id, await row(revoked, 1)],
  ]);
  const store = {
    tokens: { get: async (id: string) => rows.get(id), touch: async () => {} },
  } as unknown as ServerStore;
  const lines: { message: string; fields: Record<string, unknown> }[] = [];
  const log = {
    info: (message: string, fields: Record<string, unknown> = {}) => lines.push({ message, fields }),
    error: (message: string, fields: Record<string, unknown> = {}) => lines.push({ message, fields }),
  };
  const app = new Hono<AppEnv>();
  app.onError((error, c) => errorResponse(c, error, () => {}));
  app.use('*', async (c, next) => {
    c.set('deps', { log, trustProxy: false } as unknown as ServerDeps);
    await next();
  });
  const auth = tokenAuthenticator(store, { trustProxy: false, limiter: new FailureLimiter(3, 60_000) });
  app.use('*', auth.middleware());
  app.get('/api/v1/runs', (c) => c.json({ ok: true }));
  const get = (authorization?: string) =>
    app.request('/api/v1/runs?limit=1', {
      method: 'GET',
      headers: authorization === undefined ? {} : { authorization },
    });
  return { live, revoked, lines, get };
}

describe('failed authentications', () => {
  it('are logged with method, path, address and reason, never the token', async () => {
    const { live, revoked, lines, get } = await setup();
    const wrongSecret = `strata_${live.id}_${'A'.repeat(43)}`;
    const unknown = generateToken().token;
    expect((await get()).status).toBe(401);
    expect((await get(`Bearer ${revoked.token}`)).status).toBe(401);
    expect((await get(`Bearer ${wrongSecret}`)).status).toBe(401);
    expect(lines).toEqual([
      {
        message: 'authentication failed',
        fields: { method: 'GET', path: '/api/v1/runs', remote: 'unknown', reason: 'no Authorization header' },
      },
      {
        message: 'authentication failed',
        fields: expect.objectContaining({ reason: 'revoked token', tokenId: revoked.id }),
      },
      {
        message: 'authentication failed',
        // The third failure locks the address out: the line says for how long.
        fields: expect.objectContaining({ reason: 'wrong secret', tokenId: live.id, refusedFor: '60s' }),
      },
    ]);
    // Locked out: refused (429) without a line per request.
    expect((await get(`Bearer ${unknown}`)).status).toBe(429);
    expect(lines).toHaveLength(3);
    const text = JSON.stringify(lines);
    for (const secret of [live.secret, revoked.secret, 'A'.repeat(43), unknown])
      expect(text).not.toContain(secret);
  });

  it('names what was wrong with the header, and logs nothing for a good token', async () => {
    const { live, lines, get } = await setup();
    expect((await get(`Bearer ${live.token}`)).status).toBe(200);
    expect(lines).toEqual([]);
    expect((await get(`Basic ${Buffer.from('u:p').toString('base64')}`)).status).toBe(401);
    expect((await get('Bearer not-a-strata-token')).status).toBe(401);
    expect(lines.map((l) => l.fields.reason)).toEqual(['not a Bearer header', 'not a Strata token']);
    expect(JSON.stringify(lines)).not.toContain('not-a-strata-token');
  });

  it('does not log the id of a token that does not exist', async () => {
    const { lines, get } = await setup();
    const stranger = generateToken();
    expect((await get(`Bearer ${stranger.token}`)).status).toBe(401);
    expect(lines[0]!.fields).toEqual({
      method: 'GET',
      path: '/api/v1/runs',
      remote: 'unknown',
      reason: 'unknown token id',
    });
  });
});
