import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { createRng, hashUnit, nextUint32 } from '../../../src/matcher/rng.js';
import { decodeTicket, encodeTicket, normalizeInterests, normalizeLanguage, ticketFromRequest } from '../../../src/matcher/ticket.js';

describe('ticket normalization', () => {
  it('lowercases, trims, collapses spaces, drops #, deduplicates, keeps order', () => {
    expect(normalizeInterests([' Music ', '#music', 'Rock  And\tRoll', '', 'JAZZ', 'jazz'])).toEqual(['music', 'rock and roll', 'jazz']);
  });

  it('strips control characters, including the Redis separators', () => {
    expect(normalizeInterests(['a\x1fb', 'c\x1ed'])).toEqual(['a b', 'c d']);
  });

  it('refuses more than 10 interests or a tag over 32 characters', () => {
    expect(() => normalizeInterests(Array.from({ length: 11 }, (_, i) => `t${i}`))).toThrow(UserError);
    expect(normalizeInterests(Array.from({ length: 11 }, () => 'same'))).toEqual(['same']);
    expect(() => normalizeInterests(['x'.repeat(33)])).toThrow(/32/);
  });

  it('normalizes language codes', () => {
    expect(normalizeLanguage(' EN ')).toBe('en');
    expect(normalizeLanguage('pt_BR')).toBe('pt-br');
    expect(normalizeLanguage('')).toBeUndefined();
    expect(normalizeLanguage(null)).toBeUndefined();
    expect(() => normalizeLanguage('english')).toThrow(UserError);
  });

  it('a ticket never avoids its own user, and avoid ids are deduplicated', () => {
    const t = ticketFromRequest({ userId: 'me', platform: 'web', avoid: ['x', 'me', 'x'] }, 5);
    expect(t).toEqual({ userId: 'me', platform: 'web', interests: [], language: undefined, enqueuedAt: 5, avoid: ['x'] });
  });

  it('encodes compactly and decodes back, including avoid ids appended by enqueue.lua', () => {
    const t = ticketFromRequest({ userId: 'u1', platform: 'discord', interests: ['a b', 'c'], language: 'ru', avoid: ['x'] }, 1_700_000_000_000);
    const raw = encodeTicket(t);
    expect(raw.length).toBeLessThan(40);
    expect(decodeTicket('u1', raw)).toEqual(t);
    expect(decodeTicket('u1', `${raw}\x1fy\x1fu1`).avoid).toEqual(['x', 'y']);
    const bare = ticketFromRequest({ userId: 'u2', platform: 'web' }, 1);
    expect(decodeTicket('u2', `${encodeTicket(bare)}\x1fz`)).toEqual({ ...bare, avoid: ['z'] });
    expect(() => decodeTicket('u1', 'garbage')).toThrow(TypeError);
  });
});

describe('seedable rng', () => {
  it('mulberry32 is reproducible and in [0, 1)', () => {
    const a = createRng(123);
    const b = createRng(123);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
    expect(createRng(124)()).not.toBe(createRng(123)());
    expect(Number.isInteger(nextUint32(createRng(1)))).toBe(true);
  });

  it('hashUnit spreads keys uniformly per salt', () => {
    const us = Array.from({ length: 4000 }, (_, i) => hashUnit(77, `user-${i}`));
    const buckets = [0, 0, 0, 0];
    for (const u of us) buckets[Math.floor(u * 4)]!++;
    for (const c of buckets) expect(c).toBeGreaterThan(800);
    expect(hashUnit(1, 'x')).not.toBe(hashUnit(2, 'x'));
  });
});
