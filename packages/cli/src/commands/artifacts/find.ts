import type { ArtifactRecord } from '@strata/core';
import type { StrataDatabase } from '@strata/core/plugin';

/** An artifact by id, or by a unique prefix of its id or sha256 (as printed by `artifacts list`). */
export async function findArtifact(db: StrataDatabase, ref: string): Promise<ArtifactRecord> {
  const { StrataError } = await import('@strata/core');
  const exact = await db.getArtifact(ref);
  if (exact) return exact;
  const matches = (await db.listArtifacts({ limit: 100_000 })).filter(
    (a) => a.id.startsWith(ref) || a.sha256.startsWith(ref),
  );
  if (matches.length === 1) return matches[0]!;
  throw new StrataError(
    matches.length === 0 ? `no artifact "${ref}"` : `"${ref}" matches ${matches.length} artifacts`,
    {
      code: matches.length === 0 ? 'unknown_artifact' : 'ambiguous_artifact',
      field: 'artifact',
      value: ref,
      fix:
        matches.length === 0
          ? 'list artifacts with `strata artifacts list`'
          : 'give more characters of the id',
    },
  );
}
