import type { FileHandle, MediaKind, MessageContent, TextEntity } from '../../core/index.js';
import { entitiesFromTelegram } from './entities.js';
import type { TgFile, TgMessage } from './update-schema.js';

/*
 * Keys of a Message that mean something no transport can carry: Telegram refuses to copy
 * service messages, paid media, invoices and giveaways, and dice, games and stories only make
 * sense inside Telegram. The value names the kind for the "could not deliver" notice.
 */
const UNSUPPORTED: ReadonlyArray<readonly [string, string]> = [
  ['paid_media', 'paid media'],
  ['invoice', 'an invoice'],
  ['successful_payment', 'a payment'],
  ['giveaway', 'a giveaway'],
  ['giveaway_winners', 'giveaway winners'],
  ['giveaway_created', 'a giveaway'],
  ['giveaway_completed', 'a giveaway'],
  ['dice', 'a dice roll'],
  ['game', 'a game'],
  ['story', 'a story'],
  ['passport_data', 'Telegram Passport data'],
  ['web_app_data', 'web app data'],
  ['users_shared', 'a shared user'],
  ['chat_shared', 'a shared chat'],
  ['write_access_allowed', 'a service message'],
  ['new_chat_members', 'a service message'],
  ['left_chat_member', 'a service message'],
  ['pinned_message', 'a pinned message'],
  ['message_auto_delete_timer_changed', 'a service message'],
  ['connected_website', 'a service message'],
  ['proximity_alert_triggered', 'a service message'],
  ['boost_added', 'a service message'],
  ['forum_topic_created', 'a service message'],
  ['video_chat_started', 'a service message'],
];

/** Media keys in the order they must be checked: an animation message also carries `document`. */
const MEDIA_ORDER: readonly Exclude<MediaKind, 'photo'>[] = [
  'animation',
  'video',
  'video_note',
  'voice',
  'audio',
  'sticker',
  'document',
];

export function fileHandle(file: TgFile): FileHandle {
  // No `url`: Telegram's download URL contains the bot token, which must never leave the adapter.
  return {
    platform: 'telegram',
    fileId: file.file_id,
    ...(file.file_size !== undefined ? { size: file.file_size } : {}),
    ...(file.mime_type !== undefined ? { mimeType: file.mime_type } : {}),
    ...(file.file_name !== undefined ? { fileName: file.file_name } : {}),
  };
}

function largestPhoto(sizes: NonNullable<TgMessage['photo']>): TgFile {
  let best = sizes[0];
  for (const size of sizes) {
    if (best === undefined) best = size;
    const area = size.width * size.height;
    const bestArea = best.width * best.height;
    if (area > bestArea || (area === bestArea && (size.file_size ?? 0) > (best.file_size ?? 0))) best = size;
  }
  if (best === undefined) throw new Error('photo without sizes');
  return best;
}

function media(kind: MediaKind, file: TgFile, message: TgMessage): MessageContent {
  const caption = message.caption;
  if (caption === undefined || caption === '') return { kind: 'media', media: kind, file: fileHandle(file) };
  const entities: TextEntity[] = entitiesFromTelegram(message.caption_entities);
  return {
    kind: 'media',
    media: kind,
    file: fileHandle(file),
    caption,
    ...(entities.length > 0 ? { entities } : {}),
  };
}

/** Normalizes what a user sent into the core's content; never throws for an unknown kind. */
export function contentOf(message: TgMessage): MessageContent {
  if (message.text !== undefined) {
    const entities = entitiesFromTelegram(message.entities);
    return { kind: 'text', text: message.text, ...(entities.length > 0 ? { entities } : {}) };
  }
  if (message.photo !== undefined) return media('photo', largestPhoto(message.photo), message);
  for (const kind of MEDIA_ORDER) {
    const file = message[kind];
    if (file !== undefined) return media(kind, file, message);
  }
  const location = message.location ?? message.venue?.location;
  if (location !== undefined) return { kind: 'location', latitude: location.latitude, longitude: location.longitude };
  if (message.contact !== undefined) {
    const { phone_number, first_name, last_name } = message.contact;
    return {
      kind: 'contact',
      phoneNumber: phone_number,
      firstName: first_name,
      ...(last_name !== undefined ? { lastName: last_name } : {}),
    };
  }
  if (message.poll !== undefined) {
    return { kind: 'poll', question: message.poll.question, options: message.poll.options.map((o) => o.text) };
  }
  for (const [key, description] of UNSUPPORTED) {
    if (key in message) return { kind: 'unsupported', description };
  }
  return { kind: 'unsupported', description: 'an unknown kind of message' };
}
