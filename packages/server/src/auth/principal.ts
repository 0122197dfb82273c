import { HttpError } from '../http/errors.js';

export type Scope = 'read' | 'write' | 'admin';

/** Who is calling: a token's name and scope, or the local user on loopback without tokens. */
export interface Principal {
  readonly name: string;
  readonly scope: Scope;
  /** The token id (absent for the local user). */
  readonly tokenId?: string;
}

const rank: Record<Scope, number> = { read: 0, write: 1, admin: 2 };

export function allows(principal: Principal, needed: Scope): boolean {
  return rank[principal.scope] >= rank[needed];
}

/** Throws 403 unless the caller's scope includes `needed`. */
export function requireScope(principal: Principal, needed: Scope, action: string): void {
  if (!allows(principal, needed)) {
    throw new HttpError(
      403,
      'forbidden',
      `${action} needs a ${needed} token; this one is ${principal.scope}`,
      {
        field: 'scope',
        value: principal.scope,
        fix: `use a token created with \`strata server token create --scope ${needed}\``,
      },
    );
  }
}
