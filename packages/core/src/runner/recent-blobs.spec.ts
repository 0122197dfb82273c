import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CopyingSink, RecentBlobs } from './recent-blobs.js';

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

  it('hands out copies: a step changing its loaded bytes cannot change the kept ones', () => {
    const blobs = new RecentBlobs();
    blobs.add('x', Buffer.from('abc'));
    blobs.get('x')!.fill(0);
    expect(blobs.get('x')?.toString()).toBe('abc');
  });
});

describe('CopyingSink', () => {
  function target() {
    const written: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 2,
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk);
        setImmediate(callback);
      },
    });
    return { sink, written };
  }

  it('passes every chunk on and keeps a copy of what was written, even if the source buffer changes', async () => {
    const { sink, written } = target();
    const copy = new CopyingSink(sink, 100);
    const source = Buffer.from('hello ');
    copy.write(source);
    copy.write('world');
    source.fill(0);
    copy.end();
    await finished(copy);
    expect(copy.bytes()?.toString()).toBe('hello world');
    expect(Buffer.concat(written).length).toBe(11);
  });

  it('keeps nothing once the value grows past its limit, and still passes everything on', async () => {
    const { sink, written } = target();
    const copy = new CopyingSink(sink, 4);
    copy.write('abc');
    copy.write('def');
    copy.end();
    await finished(copy);
    expect(copy.bytes()).toBeUndefined();
    expect(Buffer.concat(written).toString()).toBe('abcdef');
  });
});
