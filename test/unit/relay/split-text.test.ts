import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../../../src/relay/split-text.js';

describe('splitText', () => {
  it('leaves short text alone', () => {
    expect(splitText('hello', 10)).toEqual(['hello']);
  });
  it('splits at word breaks and refuses beyond maxParts', () => {
    expect(splitText('aaaa bbbb cccc', 9)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('x'.repeat(50), 10, 4)).toBeNull();
  });
  it('never loses or reorders non-space characters and respects the limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 8, max: 120 }), (text, limit) => {
        const parts = splitText(text, limit, 1000);
        if (!parts) return;
        for (const p of parts) expect(p.length).toBeLessThanOrEqual(limit);
        expect(parts.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
    );
  });
  it('does not cut an emoji in half', () => {
    const parts = splitText(`${'a'.repeat(9)}😀bbbb`, 10, 10) ?? [];
    expect(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });
});
