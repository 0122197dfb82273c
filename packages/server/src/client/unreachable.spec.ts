import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClient, StrataApiError } from './index.js';

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('client: a server that does not answer', () => {
  it('is a server_unreachable error naming the origin, the reason and the fix', async () => {
    const port = await closedPort();
    const token = 'strata_0123456789abcdef_SECRETSECRETSECRET';
    const error = await createClient({ baseUrl: `http://127.0.0.1:${port}/`, token })
      .server()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StrataApiError);
    const e = error as StrataApiError;
    // Before: fetch's TypeError "fetch failed", which the CLI printed as an unexpected error (exit 3).
    expect(e.message).toBe(`cannot reach the Strata server at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(e).toMatchObject({
      status: 0,
      code: 'server_unreachable',
      field: 'url',
      value: `http://127.0.0.1:${port}`,
    });
    expect(e.describe()).toContain('fix: start the server (`strata server start`) or check its address');
    expect(e.describe()).not.toContain('SECRET');
  });

  it('never repeats a user or password written in the URL', async () => {
    const port = await closedPort();
    const error = await createClient({ baseUrl: `http://admin:hunter2@127.0.0.1:${port}` })
      .server()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'server_unreachable', value: `http://127.0.0.1:${port}` });
    expect((error as StrataApiError).describe()).toContain(
      `cannot reach the Strata server at http://127.0.0.1:${port}`,
    );
    expect((error as StrataApiError).describe()).not.toMatch(/hunter2|admin/);
  });

  it('leaves an aborted request an AbortError', async () => {
    const api = createClient({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const error = await api.request('/server', { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });
});
