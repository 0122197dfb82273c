import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Tokens look like `strata_<id>_<secret>`. The id finds the row without scanning; the secret is 32
 * random bytes, stored only as an scrypt hash (N=2^15, r=8, p=1: about 50 ms and 32 MiB per check, so a
 * stolen table cannot be brute-forced cheaply).
 */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

export interface ParsedToken {
  readonly id: string;
  readonly secret: string;
}

export function generateToken(): { token: string; id: string; secret: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `strata_${id}_${secret}`, id, secret };
}

export function parseToken(token: string): ParsedToken | undefined {
  const m = /^strata_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_BYTES, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Recomputes the hash with the stored parameters and compares in constant time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const actual = await derive(secret, salt, n, r, p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A fast digest of a presented token, for the verified-token cache (compared in constant time too). */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
