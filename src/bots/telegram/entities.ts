import type { MessageEntity } from 'telegraf/types';
import type { TextEntity, TextEntityType } from '../../core/index.js';
import type { TgEntity } from './update-schema.js';

/*
 * Offsets and lengths are UTF-16 code units on both sides (Telegram counts them that way and
 * so do JavaScript strings), so entities pass through without re-counting.
 *
 * Dropped on the way in: mention, hashtag, cashtag, bot_command, url, email and phone_number
 * are detected from the text by every client, so the recipient sees them anyway;
 * text_mention carries a Telegram user object (a third person's account) and custom_emoji a
 * sticker id the core does not model; the text keeps the fallback emoji.
 */
const FORMATTING: Readonly<Record<string, TextEntityType>> = {
  bold: 'bold',
  italic: 'italic',
  underline: 'underline',
  strikethrough: 'strikethrough',
  spoiler: 'spoiler',
  code: 'code',
  pre: 'pre',
  text_link: 'text_link',
  blockquote: 'blockquote',
  expandable_blockquote: 'blockquote',
};

export function entitiesFromTelegram(entities: readonly TgEntity[] | undefined): TextEntity[] {
  const out: TextEntity[] = [];
  for (const e of entities ?? []) {
    const type = FORMATTING[e.type];
    if (type === undefined || e.length === 0) continue;
    if (type === 'text_link') {
      if (e.url === undefined) continue;
      out.push({ type, offset: e.offset, length: e.length, url: e.url });
    } else if (type === 'pre' && e.language !== undefined) {
      out.push({ type, offset: e.offset, length: e.length, language: e.language });
    } else {
      out.push({ type, offset: e.offset, length: e.length });
    }
  }
  return out;
}

export function entitiesToTelegram(entities: readonly TextEntity[] | undefined): MessageEntity[] | undefined {
  if (entities === undefined || entities.length === 0) return undefined;
  const out: MessageEntity[] = [];
  for (const e of entities) {
    const base = { offset: e.offset, length: e.length };
    switch (e.type) {
      case 'text_link':
        // A link without a target cannot be sent; keeping the text plain is the honest fallback.
        if (e.url !== undefined) out.push({ ...base, type: 'text_link', url: e.url });
        break;
      case 'pre':
        out.push(e.language !== undefined ? { ...base, type: 'pre', language: e.language } : { ...base, type: 'pre' });
        break;
      default:
        out.push({ ...base, type: e.type });
    }
  }
  return out;
}
