import { describe, expect, it } from 'vitest';
import { VisitorTokens } from '../../../src/bots/web/identity.js';

const SECRET = 'a'.repeat(64);

describe('visitor tokens', () => {
  it('mints random ids whose token verifies to the same id', () => {
    const tokens = new VisitorTokens(SECRET);
    const a = tokens.mint();
    const b = tokens.mint();
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.id).not.toBe(b.id);
    expect(tokens.verify(a.token)).toBe(a.id);
    expect(tokens.tokenFor(a.id)).toBe(a.token);
  });

  it('refuses forged, altered and foreign tokens', () => {
    const tokens = new VisitorTokens(SECRET);
    const other = new VisitorTokens('b'.repeat(64));
    const { id, token } = tokens.mint();
    expect(other.verify(token)).toBeNull();
    expect(tokens.verify(`${id}.`)).toBeNull();
    expect(tokens.verify(id)).toBeNull();
    expect(tokens.verify('')).toBeNull();
    const sig = token.slice(id.length + 1);
    const flipped = sig.startsWith('A') ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
    expect(tokens.verify(`${id}.${flipped}`)).toBeNull();
    // Another id with this id's signature.
    const { id: id2 } = tokens.mint();
    expect(tokens.verify(`${id2}.${sig}`)).toBeNull();
    expect(tokens.verify(`../x.${sig}`)).toBeNull();
  });

  it('needs a secret of at least 32 characters', () => {
    expect(() => new VisitorTokens('short')).toThrow(/32/);
  });
});
