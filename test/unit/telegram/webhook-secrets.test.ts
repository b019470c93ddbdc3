import { describe, expect, it } from 'vitest';
import { deriveWebhookSecrets } from '../../../src/bots/telegram/webhook-secrets.js';

describe('deriveWebhookSecrets', () => {
  it('is stable per token, differs between tokens and uses only allowed characters', () => {
    const a = deriveWebhookSecrets('123:abc');
    expect(deriveWebhookSecrets('123:abc')).toEqual(a);
    expect(deriveWebhookSecrets('123:abd').secretToken).not.toBe(a.secretToken);
    expect(a.secretToken).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(a.secretPathToken).toMatch(/^[a-f0-9]{32}$/);
    expect(`${a.secretToken}${a.secretPathToken}`).not.toContain('abc');
  });
});
