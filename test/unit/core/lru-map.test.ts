import { describe, expect, it } from 'vitest';
import { LruMap } from '../../../src/core/lru-map.js';

describe('LruMap', () => {
  it('evicts the least recently used key', () => {
    const l = new LruMap<string, number>(2);
    l.set('a', 1);
    l.set('b', 2);
    l.get('a');
    l.set('c', 3);
    expect([l.has('a'), l.has('b'), l.has('c')]).toEqual([true, false, true]);
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});
