import {
  MessageFlags,
  MessageReferenceType,
  MessageType,
  StickerFormatType,
  type APIAttachment,
  type APIMessage,
  type APIStickerItem,
  type APIUser,
} from 'discord.js';
import type {
  AlbumInbound,
  CommandInbound,
  DeleteInbound,
  EditInbound,
  FileHandle,
  MediaKind,
  MessageContent,
  MessageInbound,
  MessageRef,
  Profile,
  UserRef,
} from '../../core/index.js';
import { TEXT_COMMAND_NAMES } from './commands.js';

/** The fields of a gateway message payload the mapping reads. */
export type WireMessage = Pick<APIMessage, 'id' | 'channel_id' | 'author' | 'content' | 'attachments' | 'type'> &
  Partial<Pick<APIMessage, 'flags' | 'sticker_items' | 'message_reference' | 'poll' | 'message_snapshots' | 'webhook_id' | 'edited_timestamp'>> & {
    readonly guild_id?: string;
  };

export interface InboundContext {
  readonly receivedAt: Date;
  /** The CDN address of a sticker image, or undefined for stickers that are not images (Lottie). */
  readonly stickerUrl: (stickerId: string, format: StickerFormatType) => string | undefined;
}

type Content = Pick<WireMessage, 'content' | 'attachments' | 'flags' | 'sticker_items'> & Partial<Pick<WireMessage, 'poll'>>;

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

const baseMime = (contentType: string | undefined): string | undefined =>
  contentType?.split(';')[0]?.trim().toLowerCase() || undefined;

/** Which media kind an attachment is relayed as; other platforms pick their send method from it. */
export function attachmentMedia(attachment: Pick<APIAttachment, 'content_type'>, voiceMessage: boolean): MediaKind {
  const mime = baseMime(attachment.content_type);
  if (mime === undefined) return 'document';
  if (mime.startsWith('audio/')) return voiceMessage ? 'voice' : 'audio';
  if (mime === 'image/gif') return 'animation';
  if (PHOTO_TYPES.has(mime)) return 'photo';
  if (mime.startsWith('video/')) return 'video';
  return 'document';
}

function attachmentFile(attachment: APIAttachment): FileHandle {
  const mimeType = baseMime(attachment.content_type);
  return {
    platform: 'discord',
    fileId: attachment.id,
    url: attachment.url,
    size: attachment.size,
    fileName: attachment.filename,
    ...(mimeType !== undefined && { mimeType }),
  };
}

const STICKER_MIME: Partial<Record<StickerFormatType, string>> = {
  [StickerFormatType.PNG]: 'image/png',
  [StickerFormatType.APNG]: 'image/png',
  [StickerFormatType.GIF]: 'image/gif',
};

function stickerContent(sticker: APIStickerItem, caption: string, context: InboundContext): MessageContent {
  const mimeType = STICKER_MIME[sticker.format_type];
  const url = mimeType === undefined ? undefined : context.stickerUrl(sticker.id, sticker.format_type);
  if (mimeType === undefined || url === undefined) {
    const text = `[Sticker: ${sticker.name}]`;
    return { kind: 'text', text: caption === '' ? text : `${caption}\n${text}` };
  }
  const extension = mimeType === 'image/gif' ? 'gif' : 'png';
  return {
    kind: 'media',
    media: 'sticker',
    file: { platform: 'discord', fileId: sticker.id, url, mimeType, fileName: `sticker.${extension}` },
    ...(caption !== '' && { caption }),
  };
}

/** Everything one Discord message carries, as core contents: one per attachment, or one in all. */
export function messageContents(message: Content, context: InboundContext): MessageContent[] {
  const text = message.content;
  const voice = ((message.flags ?? 0) & MessageFlags.IsVoiceMessage) !== 0;
  if (message.attachments.length > 0) {
    return message.attachments.map((attachment, index) => ({
      kind: 'media',
      media: attachmentMedia(attachment, voice),
      file: attachmentFile(attachment),
      ...(index === 0 && text !== '' && { caption: text }),
    }));
  }
  const sticker = message.sticker_items?.[0];
  if (sticker) return [stickerContent(sticker, text, context)];
  if (message.poll) {
    return [
      {
        kind: 'poll',
        question: message.poll.question.text ?? '',
        options: message.poll.answers.map((answer) => answer.poll_media.text ?? ''),
      },
    ];
  }
  if (text !== '') return [{ kind: 'text', text }];
  return [{ kind: 'unsupported', description: 'A message with no text or files (an embed or a component)' }];
}

export function userRefOf(userId: string): UserRef {
  return { platform: 'discord', externalId: userId };
}

export function profileOf(user: Pick<APIUser, 'username' | 'global_name'>): Profile {
  return { username: user.username, ...(user.global_name ? { displayName: user.global_name } : {}) };
}

/** Only people's own messages in the bot's DMs are conversation; the rest is ours or noise. */
function isPersonInDm(message: WireMessage): boolean {
  if (message.guild_id !== undefined || message.webhook_id !== undefined) return false;
  if (message.author.bot === true || message.author.system === true) return false;
  return message.type === MessageType.Default || message.type === MessageType.Reply;
}

const TEXT_COMMAND = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i;

function textCommand(message: WireMessage): { name: string; args: string } | undefined {
  if (message.attachments.length > 0) return undefined;
  const match = TEXT_COMMAND.exec(message.content.trim());
  const name = match?.[1]?.toLowerCase();
  if (name === undefined || !TEXT_COMMAND_NAMES.has(name)) return undefined;
  return { name, args: (match?.[2] ?? '').trim() };
}

/**
 * A DM message -> the core's inbound: a command typed as text, one message, or an album when
 * one Discord message carries several attachments. Null for what is not a person's DM.
 */
export function mapMessageCreate(
  message: WireMessage,
  context: InboundContext,
): MessageInbound | AlbumInbound | CommandInbound | null {
  if (!isPersonInDm(message)) return null;
  const base = {
    userRef: userRefOf(message.author.id),
    receivedAt: context.receivedAt,
    profile: profileOf(message.author),
  };

  const command = textCommand(message);
  if (command) return { ...base, kind: 'command', updateId: message.id, ...command };

  const reference = message.message_reference;
  const forwarded =
    reference?.type === MessageReferenceType.Forward ? message.message_snapshots?.[0]?.message : undefined;
  const replyTo: MessageRef | undefined =
    !forwarded && reference?.message_id !== undefined
      ? { platform: 'discord', chatId: reference.channel_id ?? message.channel_id, messageId: reference.message_id }
      : undefined;

  const ref: MessageRef = { platform: 'discord', chatId: message.channel_id, messageId: message.id };
  const contents = messageContents(forwarded ?? message, context);
  const items: MessageInbound[] = contents.map((content, index) => ({
    ...base,
    kind: 'message',
    updateId: contents.length === 1 ? message.id : `${message.id}:${index}`,
    ref,
    content,
    ...(index === 0 && replyTo !== undefined && { replyTo }),
  }));
  const [first] = items;
  if (items.length === 1 && first) return first;
  return { ...base, kind: 'album', updateId: message.id, albumId: message.id, items };
}

/**
 * An edited DM message -> EditInbound. MESSAGE_UPDATE also fires when Discord only adds a
 * link preview; those keep the old `edited_timestamp` (null if never edited) and are skipped.
 */
export function mapMessageUpdate(message: WireMessage, context: InboundContext): EditInbound | null {
  if (!isPersonInDm(message) || !message.edited_timestamp) return null;
  const [content] = messageContents(message, context);
  if (!content || content.kind === 'unsupported') return null;
  return {
    kind: 'edit',
    userRef: userRefOf(message.author.id),
    updateId: `edit:${message.id}:${message.edited_timestamp}`,
    receivedAt: context.receivedAt,
    profile: profileOf(message.author),
    ref: { platform: 'discord', chatId: message.channel_id, messageId: message.id },
    content,
  };
}

export function mapMessageDelete(
  data: { readonly id: string; readonly channel_id: string },
  userId: string,
  receivedAt: Date,
): DeleteInbound {
  return {
    kind: 'delete',
    userRef: userRefOf(userId),
    updateId: `delete:${data.id}`,
    receivedAt,
    ref: { platform: 'discord', chatId: data.channel_id, messageId: data.id },
  };
}
