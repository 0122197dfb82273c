import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('drops the oldest insertion beyond its capacity', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect([...map.keys()]).toEqual(['b', 'c']);
  });

  it('caches a promise once and forgets a rejected one', async () => {
    const map = new BoundedMap<string, Promise<number>>(4);
    let calls = 0;
    const ok = () => Promise.resolve(++calls);
    expect(await map.promise('k', ok)).toBe(1);
    expect(await map.promise('k', ok)).toBe(1);
    await expect(map.promise('bad', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await Promise.resolve();
    expect(map.has('bad')).toBe(false);
  });
});
