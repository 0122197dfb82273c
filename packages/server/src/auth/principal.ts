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
