import { CARRIED_KINDS, type TransportCapabilities } from '../../core/index.js';

/** Telegram can show every kind the core models; 'unsupported' is by definition not one of them. */
export const TELEGRAM_CAPABILITIES: TransportCapabilities = {
  kinds: new Set(CARRIED_KINDS),
  maxTextLength: 4096,
  canEdit: true,
  canDelete: true,
};
