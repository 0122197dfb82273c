import { describe, expect, it } from 'vitest';
import { RecentBlobs } from './recent-blobs.js';

describe('RecentBlobs', () => {
  it('keeps blobs up to the size of one, the total and the count, dropping the least recently used', () => {
    const blobs = new RecentBlobs(4, 8, 3);
    blobs.add('big', Buffer.from('12345'));
    expect(blobs.get('big')).toBeUndefined();
    blobs.add('a', Buffer.from('aaaa'));
    blobs.add('b', Buffer.from('bbbb'));
    expect(blobs.get('a')?.toString()).toBe('aaaa'); // a is now the most recently used
    blobs.add('c', Buffer.from('cc'));
    expect([blobs.get('b'), blobs.get('a')?.toString(), blobs.get('c')?.toString()]).toEqual([
      undefined,
      'aaaa',
      'cc',
    ]);
    blobs.add('d', Buffer.from('d'));
    blobs.add('e', Buffer.from('e'));
    expect(blobs.size).toBe(3);
    expect(blobs.get('a')).toBeUndefined();
  });

  it('peek gives the kept bytes themselves and, like get, counts as a use', () => {
    const blobs = new RecentBlobs(4, 8, 2);
    const a = Buffer.from('aaaa');
    blobs.add('a', a);
    blobs.add('b', Buffer.from('bb'));
    expect(blobs.peek('a')).toBe(a);
    expect(blobs.get('a')).not.toBe(a);
    blobs.add('c', Buffer.from('cc')); // past the count: b, the least recently used, goes
    expect(blobs.peek('b')).toBeUndefined();
    expect(blobs.peek('a')).toBe(a);
    expect(blobs.peek('c')?.toString()).toBe('cc');
  });

  it('hands out copies: a step changing its loaded bytes cannot change the kept ones', () => {
    const blobs = new RecentBlobs();
    blobs.add('x', Buffer.from('abc'));
    blobs.get('x')!.fill(0);
    expect(blobs.get('x')?.toString()).toBe('abc');
  });
});
