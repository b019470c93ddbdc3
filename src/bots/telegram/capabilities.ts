import type { ContentKind, TransportCapabilities } from '../../core/index.js';

const KINDS: readonly ContentKind[] = [
  'text',
  'media',
  'location',
  'contact',
  'poll',
  'photo',
  'video',
  'animation',
  'voice',
  'audio',
  'video_note',
  'sticker',
  'document',
];

/** Telegram can show every kind the core models; 'unsupported' is by definition not one of them. */
export const TELEGRAM_CAPABILITIES: TransportCapabilities = {
  kinds: new Set(KINDS),
  maxTextLength: 4096,
  canEdit: true,
  canDelete: true,
};
