import { expect, it } from 'vitest';
import type { ContractContext } from './context.js';

const digest = {
  size: 1_073_741_824,
  mtimeNs: '1765000000123456789',
  ino: '18446744073709551615',
  dev: '2049',
  sha256: 'a'.repeat(64),
  hashedAt: 1_765_000_001_000,
};

export function fileDigestsContract(ctx: ContractContext): void {
  it('remembers a file digest per key, replaces it, and survives reopening the store', async () => {
    const db = ctx.db();
    expect(await db.rememberedDigest('box-a:/data/train.csv')).toBeUndefined();
    await db.rememberDigest('box-a:/data/train.csv', digest);
    await db.rememberDigest('box-b:/data/train.csv', { ...digest, ino: '7' });
    // 64-bit inodes and nanosecond mtimes come back exactly (text), sizes above 2^31 as numbers.
    expect(await db.rememberedDigest('box-a:/data/train.csv')).toEqual(digest);
    const changed = { ...digest, size: 12, mtimeNs: '1765000009000000000', sha256: 'b'.repeat(64) };
    await db.rememberDigest('box-a:/data/train.csv', changed);
    const other = await ctx.open(ctx.url());
    expect(await other.rememberedDigest('box-a:/data/train.csv')).toEqual(changed);
    expect((await other.rememberedDigest('box-b:/data/train.csv'))?.ino).toBe('7');
  });
}
