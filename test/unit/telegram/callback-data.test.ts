import { describe, expect, it } from 'vitest';
import { CallbackData } from '../../../src/bots/telegram/callback-data.js';

describe('CallbackData', () => {
  it('passes short actions through and keys long or ambiguous ones', () => {
    const c = new CallbackData();
    expect(c.encode('rate:5:session_0a1b2c3d4e')).toBe('rate:5:session_0a1b2c3d4e');
    const long = 'x'.repeat(65);
    const key = c.encode(long);
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(64);
    expect(c.encode(long)).toBe(key);
    expect(c.decode(key)).toBe(long);
    // 22 four-byte emoji are 88 bytes though only 44 UTF-16 units.
    const emoji = '😀'.repeat(22);
    expect(c.decode(c.encode(emoji))).toBe(emoji);
    expect(c.encode(emoji)).not.toBe(emoji);
    const tilde = c.encode('~looks-like-a-key');
    expect(c.decode(tilde)).toBe('~looks-like-a-key');
    expect(c.decode('~unknown')).toBeUndefined();
  });
});
