import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, REPORT_CATEGORIES, type Action } from '../../../src/core/actions.js';

const uuid = '0192f0a1-7b2c-7d3e-8f40-1a2b3c4d5e6f';
const session = 'session_0123456789';

/** Every action type at its longest. */
const LONGEST: readonly Action[] = [
  { type: 'find' },
  { type: 'delete_confirm' },
  { type: 'rate', rating: 5, sessionId: session },
  { type: 'comment', sessionId: session },
  { type: 'report', sessionId: session },
  { type: 'report_category', category: 'minor_safety', sessionId: session },
  { type: 'report_comment', reportId: uuid },
  { type: 'block', sessionId: session },
  { type: 'report_recategorize', category: 'minor_safety', reportId: uuid },
  { type: 'mod_open', reportId: uuid },
  { type: 'mod_dismiss', reportId: uuid },
  { type: 'mod_warn', reportId: uuid },
  { type: 'mod_ban', duration: 'perm', reportId: uuid },
  { type: 'mod_ban', duration: '24h', reportId: uuid },
  { type: 'mod_page', list: 'feedback', filter: 'recent', page: 9999 },
  { type: 'mod_page', list: 'reports', filter: 'open', page: 1 },
];

describe('button actions', () => {
  it('round-trip and fit Telegram callback_data (64 bytes)', () => {
    for (const a of LONGEST) {
      const raw = encodeAction(a);
      expect(Buffer.byteLength(raw, 'utf8'), raw).toBeLessThanOrEqual(64);
      expect(decodeAction(raw)).toEqual(a);
    }
  });

  it('round-trips moderator actions for any report id', () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    const id = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join('-'));
    const action: fc.Arbitrary<Action> = fc.oneof(
      id.map((reportId) => ({ type: 'mod_open', reportId }) as const),
      id.map((reportId) => ({ type: 'mod_warn', reportId }) as const),
      fc.tuple(id, fc.constantFrom<'24h' | '7d' | 'perm'>('24h', '7d', 'perm')).map(([reportId, duration]) => ({ type: 'mod_ban', reportId, duration }) as const),
      fc.tuple(id, fc.constantFrom(...REPORT_CATEGORIES.map((c) => c.category))).map(([reportId, category]) => ({ type: 'report_recategorize', reportId, category }) as const),
    );
    fc.assert(
      fc.property(action, (a) => {
        expect(decodeAction(encodeAction(a))).toEqual(a);
      }),
    );
  });

  it('rejects anything it did not issue', () => {
    for (const forged of [
      'mod:ban:1y:' + uuid,
      'mod:ban:perm:' + uuid.slice(1),
      'mod:delete:' + uuid,
      'mod:open:' + uuid.toUpperCase(),
      'mod:page:reports:open:0',
      'mod:page:reports:low:1',
      'mod:page:users:all:1',
      'rset:bogus:' + uuid,
      'mod:open:' + uuid + ' ',
    ]) {
      expect(decodeAction(forged), forged).toBeNull();
    }
  });
});
