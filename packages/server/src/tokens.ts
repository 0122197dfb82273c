import { randomBytes } from 'node:crypto';
import { StrataError } from '@strata/core';
import type { StrataDatabase } from '@strata/core/plugin';
import { serverStoreOf } from '@strata/metadata';
import type { Scope } from './auth/principal.js';
import { generateToken, hashSecret } from './auth/token-secret.js';

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly scope: Scope;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

const scopes: readonly Scope[] = ['read', 'write', 'admin'];

function audit(database: StrataDatabase, actor: string, action: string, target: string, reason: string) {
  const at = Date.now();
  return serverStoreOf(database).audit.append({
    id: `${at.toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`,
    at,
    actor,
    tokenId: null,
    action,
    target,
    reason,
    outcome: 'ok',
    detail: null,
    remote: 'cli',
  });
}

/**
 * Creates an API token and returns it: the only time the secret exists outside its holder. The store
 * keeps its scrypt hash. Recorded in the audit log.
 */
export async function createToken(
  database: StrataDatabase,
  input: { name: string; scope: string; createdBy: string },
): Promise<{ token: string; info: TokenInfo }> {
  if (!scopes.includes(input.scope as Scope)) {
    throw new StrataError(`scope "${input.scope}" is not a token scope`, {
      code: 'invalid_argument',
      field: 'scope',
      value: input.scope,
      fix: 'pass --scope read, write or admin',
    });
  }
  if (!/^[A-Za-z0-9_.@:-]{1,100}$/.test(input.name)) {
    throw new StrataError(`token name "${input.name.slice(0, 100)}" is not allowed`, {
      code: 'invalid_argument',
      field: 'name',
      value: input.name.slice(0, 100),
      fix: 'use 1-100 letters, digits and _ . @ : -',
    });
  }
  const { token, id, secret } = generateToken();
  const info: TokenInfo = {
    id,
    name: input.name,
    scope: input.scope as Scope,
    createdBy: input.createdBy,
    createdAt: Date.now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await serverStoreOf(database).tokens.create({ ...info, hash: await hashSecret(secret) });
  await audit(database, input.createdBy, 'token.create', id, `${input.scope} token ${input.name}`);
  return { token, info };
}

export async function listTokens(database: StrataDatabase): Promise<TokenInfo[]> {
  return (await serverStoreOf(database).tokens.list()).map(({ hash: _hash, ...info }) => info);
}

/** Revokes by id (or by name when exactly one active token has it). */
export async function revokeToken(database: StrataDatabase, ref: string, actor: string): Promise<TokenInfo> {
  const store = serverStoreOf(database);
  const all = await store.tokens.list();
  const matches = all.filter((t) => t.revokedAt === null && (t.id === ref || t.name === ref));
  if (matches.length !== 1) {
    throw new StrataError(
      matches.length === 0
        ? `no active token "${ref}"`
        : `${matches.length} active tokens are named "${ref}"`,
      {
        code: matches.length === 0 ? 'unknown_token' : 'ambiguous_token',
        field: 'token',
        value: ref,
        fix: 'pass a token id from `strata server token list`',
      },
    );
  }
  const token = matches[0]!;
  await store.tokens.revoke(token.id, Date.now());
  await audit(database, actor, 'token.revoke', token.id, `revoked ${token.name}`);
  const { hash: _hash, ...info } = (await store.tokens.get(token.id))!;
  return info;
}
