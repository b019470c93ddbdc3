import { createHmac } from 'node:crypto';

export interface WebhookSecrets {
  readonly secretPathToken: string;
  readonly secretToken: string;
}

/**
 * Webhook secrets derived from the bot token, so every instance and every restart agrees on
 * them without more configuration, and they change when the token is revoked. Neither reveals
 * the token. The secret token uses only the characters Telegram allows ([A-Za-z0-9_-]).
 */
export function deriveWebhookSecrets(botToken: string): WebhookSecrets {
  const mac = (label: string): Buffer => createHmac('sha256', botToken).update(label).digest();
  return {
    secretPathToken: mac('echosoul telegram webhook path').toString('hex').slice(0, 32),
    secretToken: mac('echosoul telegram webhook secret token').toString('base64url'),
  };
}
