import type { AliasChange } from '@strata/core/plugin';

/**
 * MLflow keeps only an alias's current version. Strata's alias history (who moved it, when, why,
 * promote or rollback) is kept as registered-model tags, one per move, never overwritten:
 * `strata.alias_history.<alias>.<ms since epoch, 13 digits>.<random>` -> JSON of the move.
 * The key sorts in time order; `previousVersion` is derived from the order when read, so moves
 * made concurrently by two machines still form one consistent history.
 */
export const HISTORY_PREFIX = 'strata.alias_history.';

export interface StoredMove {
  readonly alias: string;
  readonly version: number;
  readonly action: 'promote' | 'rollback';
  readonly reason: string;
  readonly actor: string;
  readonly at: number;
}

export function historyTagKey(alias: string, at: number, random = randomSuffix()): string {
  return `${HISTORY_PREFIX}${alias}.${String(at).padStart(13, '0')}.${random}`;
}

const randomSuffix = () => Math.random().toString(36).slice(2, 10).padEnd(8, '0');

/** The moves of a model (optionally of one alias) in order, with `previousVersion` filled in per alias. */
export function historyFromTags(
  model: string,
  tags: readonly { key: string; value: string }[],
  alias?: string,
): AliasChange[] {
  const moves = tags
    .filter((t) => t.key.startsWith(HISTORY_PREFIX))
    .flatMap((t) => {
      try {
        return [{ key: t.key, move: JSON.parse(t.value) as StoredMove }];
      } catch {
        return []; // a tag someone edited by hand in the MLflow UI
      }
    })
    .sort((a, b) => a.move.at - b.move.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.move);
  const last = new Map<string, number>();
  const out: AliasChange[] = [];
  for (const move of moves) {
    const previous = last.get(move.alias);
    last.set(move.alias, move.version);
    if (alias !== undefined && move.alias !== alias) continue;
    out.push({ model, ...move, previousVersion: previous ?? null });
  }
  return out;
}
