import { describe, expect, it } from 'vitest';
import { Lru } from '../../../src/bots/telegram/lru.js';

describe('Lru', () => {
  it('evicts the least recently used key', () => {
    const l = new Lru<string, number>(2);
    l.set('a', 1);
    l.set('b', 2);
    l.get('a');
    l.set('c', 3);
    expect([l.has('a'), l.has('b'), l.has('c')]).toEqual([true, false, true]);
    expect(() => new Lru(0)).toThrow(RangeError);
  });
});
