import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, isSessionId, parsePreferences, UserError, type Action } from '../../../src/core/index.js';

describe('parsePreferences', () => {
  it('takes words, #tags, commas and lang:xx', () => {
    expect(parsePreferences('Music #Games, music lang:EN')).toEqual({ interests: ['music', 'games'], language: 'en', given: true });
  });
  it('knows when nothing was given', () => {
    expect(parsePreferences('  ')).toEqual({ interests: [], language: null, given: false });
  });
  it.each(['lang:english', '<script>', 'x'.repeat(40), Array.from({ length: 11 }, (_, i) => `t${i}`).join(' ')])(
    'refuses %s with a UserError',
    (args) => {
      expect(() => parsePreferences(args)).toThrow(UserError);
    },
  );
});

describe('button actions', () => {
  const s = 'session_0123456789';
  const all: Action[] = [
    { type: 'find' },
    { type: 'next' },
    { type: 'stop' },
    { type: 'rate', sessionId: s, rating: 4 },
    { type: 'comment', sessionId: s },
    { type: 'report', sessionId: s },
    { type: 'report_category', sessionId: s, category: 'minor_safety' },
    { type: 'report_comment', reportId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' },
    { type: 'block', sessionId: s },
    { type: 'delete_confirm' },
    { type: 'delete_cancel' },
  ];
  it.each(all)('round-trips $type within Telegram 64 bytes', (a) => {
    const encoded = encodeAction(a);
    expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(64);
    expect(decodeAction(encoded)).toEqual(a);
  });
  it.each(['rate:9:session_0123456789', 'rcat:evil:session_0123456789', 'rate:1:session_x', '', 'drop table'])('rejects %s', (raw) => {
    expect(decodeAction(raw)).toBeNull();
  });
  it('recognizes session ids', () => {
    expect(isSessionId('session_0a1b2c3d4e')).toBe(true);
    expect(isSessionId('session_0A1B2C3D4E')).toBe(false);
  });
});
