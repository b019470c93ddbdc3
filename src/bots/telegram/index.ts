export { TelegramTransport } from './telegram-transport.js';
export type { ModeratorMenuMemory, TelegramTransportOptions, TelegramWebhookOptions } from './options.js';
export type { WebhookHandler } from './webhook.js';
export { deriveWebhookSecrets } from './webhook-secrets.js';
export type { WebhookSecrets } from './webhook-secrets.js';
export { BOT_COMMANDS, MODERATOR_BOT_COMMANDS } from './bot-commands.js';
