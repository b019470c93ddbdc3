import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { normalizeOrigins, originAllowed } from '../../../src/bots/web/origin.js';

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;
const none = new Set<string>();

describe('WebSocket origin check', () => {
  it('allows the page’s own origin (Origin host equals Host)', () => {
    expect(originAllowed(req({ host: 'localhost:3000', origin: 'http://localhost:3000' }), none)).toBe(true);
    expect(originAllowed(req({ host: 'Chat.Example.com', origin: 'https://chat.example.com' }), none)).toBe(true);
  });

  it('refuses other sites, other ports and odd schemes', () => {
    expect(originAllowed(req({ host: 'localhost:3000', origin: 'http://evil.example' }), none)).toBe(false);
    expect(originAllowed(req({ host: 'localhost:3000', origin: 'http://localhost:4000' }), none)).toBe(false);
    expect(originAllowed(req({ host: 'localhost:3000', origin: 'null' }), none)).toBe(false);
    expect(originAllowed(req({ host: 'localhost:3000', origin: 'file://localhost:3000' }), none)).toBe(false);
    expect(originAllowed(req({ origin: 'http://localhost:3000' }), none)).toBe(false);
  });

  it('allows configured extra origins and non-browser clients without Origin', () => {
    const extra = normalizeOrigins(['https://front.example.com/']);
    expect(originAllowed(req({ host: 'api.example.com', origin: 'https://front.example.com' }), extra)).toBe(true);
    expect(originAllowed(req({ host: 'api.example.com', origin: 'http://front.example.com' }), extra)).toBe(false);
    expect(originAllowed(req({ host: 'localhost:3000' }), none)).toBe(true);
    expect(() => normalizeOrigins(['not a url'])).toThrow(/origin/);
  });
});
