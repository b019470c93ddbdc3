import type { InlineKeyboardMarkup, Message, MessageEntity, ReplyParameters } from 'telegraf/types';
import type { InputFile, InputMediaAudio, InputMediaDocument, InputMediaPhoto, InputMediaVideo } from 'telegraf/types';
import { DeliveryError } from '../../core/index.js';
import type {
  AlbumOutbound,
  ButtonRow,
  FileHandle,
  MediaKind,
  MessageContent,
  MessageRef,
  NoticeOutbound,
  Outbound,
  RelayOutbound,
  UserRef,
} from '../../core/index.js';
import type { BotApi } from './bot-api.js';
import type { CallbackData } from './callback-data.js';
import { isBadRequest } from './delivery-errors.js';
import { entitiesToTelegram } from './entities.js';
import { downloadForeignFile } from './file-download.js';
import { telegramRef } from './inbound-mapper.js';
import type { PendingForms } from './pending-forms.js';

type MediaContent = Extract<MessageContent, { kind: 'media' }>;
type GroupMedia = InputMediaPhoto | InputMediaVideo | InputMediaDocument | InputMediaAudio;

/** Telegram's limit on one media group. */
const MEDIA_GROUP_MAX = 10;
/** ForceReply placeholder limit. */
const PLACEHOLDER_MAX = 64;

export interface OutboundSenderDeps {
  readonly api: BotApi;
  readonly callbackData: CallbackData;
  readonly forms: PendingForms;
  readonly uploadTimeoutMs: number;
  readonly downloadTimeoutMs: number;
  readonly maxForeignFileBytes: number;
  readonly fileFetcher?: (file: FileHandle) => Promise<{ readonly data: Buffer; readonly fileName: string } | null>;
}

function chatIdOf(to: UserRef | MessageRef): string {
  const id = 'externalId' in to ? to.externalId : to.chatId;
  if (to.platform !== 'telegram' || !/^-?\d+$/.test(id)) {
    // A wiring fault, not an unreachable person: 'rejected' keeps the session alive.
    throw new DeliveryError('rejected', 'not_telegram', `not a telegram chat: ${to.platform}`);
  }
  return id;
}

const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * The name a foreign file is uploaded under. Camera and screenshot names can carry the
 * sender's name, so only documents and audio (whose name is their title) keep theirs, as in
 * the Discord adapter; the rest keep just the extension.
 */
function uploadName(media: MediaKind, given: string): string {
  if (media === 'document' || media === 'audio') return given;
  return `${media}.${/\.([A-Za-z0-9]{1,8})$/.exec(given)?.[1] ?? 'bin'}`;
}

function captionFields(content: MediaContent): { caption?: string; caption_entities?: MessageEntity[] } {
  if (content.caption === undefined || content.caption === '') return {};
  const entities = entitiesToTelegram(content.entities);
  return { caption: content.caption, ...(entities !== undefined ? { caption_entities: entities } : {}) };
}

/**
 * Core Outbound -> Bot API calls. A partner's Telegram message is copied with copyMessage(s),
 * never forwarded: a copy carries no "forwarded from" header, so the recipient learns nothing
 * about the sender; from_chat_id only tells the API where the original lives. Content from
 * another platform is sent natively, uploading foreign files.
 */
export class OutboundSender {
  constructor(private readonly deps: OutboundSenderDeps) {}

  async send(to: UserRef, outbound: Outbound): Promise<MessageRef[]> {
    const chatId = chatIdOf(to);
    switch (outbound.kind) {
      case 'notice':
        return this.sendNotice(chatId, outbound);
      case 'relay':
        return [await this.sendRelay(chatId, outbound)];
      case 'album':
        return this.sendAlbum(chatId, outbound);
    }
  }

  async edit(ref: MessageRef, outbound: Outbound): Promise<void> {
    const chat_id = chatIdOf(ref);
    const message_id = Number(ref.messageId);
    try {
      if (outbound.kind === 'notice') {
        const entities = entitiesToTelegram(outbound.entities);
        const keyboard = this.keyboard(outbound.buttons);
        await this.deps.api.call('editMessageText', {
          chat_id,
          message_id,
          text: outbound.text,
          ...(entities !== undefined ? { entities } : {}),
          ...(keyboard !== undefined ? { reply_markup: keyboard } : {}),
        });
        return;
      }
      if (outbound.kind === 'album') throw new DeliveryError('rejected', 'unsupported_edit', 'an album is edited item by item');
      const content = outbound.content;
      if (content.kind === 'text') {
        const entities = entitiesToTelegram(content.entities);
        await this.deps.api.call('editMessageText', {
          chat_id,
          message_id,
          text: content.text,
          ...(entities !== undefined ? { entities } : {}),
        });
        return;
      }
      if (content.kind === 'media') {
        // Only the caption of a delivered file can change; an empty caption removes it.
        await this.deps.api.call('editMessageCaption', { chat_id, message_id, caption: '', ...captionFields(content) });
        return;
      }
      throw new DeliveryError('rejected', 'unsupported_edit', `a ${content.kind} message cannot be edited`);
    } catch (e) {
      // Editing to the same content is what the caller wanted; Telegram just reports it as 400.
      if (isBadRequest(e, /message is not modified/i)) return;
      throw e;
    }
  }

  async delete(ref: MessageRef): Promise<void> {
    try {
      await this.deps.api.call('deleteMessage', { chat_id: chatIdOf(ref), message_id: Number(ref.messageId) });
    } catch (e) {
      if (isBadRequest(e, /message to delete not found/i)) return;
      throw e;
    }
  }

  private keyboard(buttons: readonly ButtonRow[] | undefined): InlineKeyboardMarkup | undefined {
    const rows = (buttons ?? []).filter((row) => row.length > 0);
    if (rows.length === 0) return undefined;
    return {
      inline_keyboard: rows.map((row) =>
        row.map((b) => ({ text: b.label, callback_data: this.deps.callbackData.encode(b.action) })),
      ),
    };
  }

  private async sendNotice(chatId: string, notice: NoticeOutbound): Promise<MessageRef[]> {
    const { api } = this.deps;
    const entities = entitiesToTelegram(notice.entities);
    const keyboard = this.keyboard(notice.buttons);
    const text = { text: notice.text, ...(entities !== undefined ? { entities } : {}) };
    const form = notice.form;
    if (form === undefined) {
      const sent = await api.call('sendMessage', {
        chat_id: chatId,
        ...text,
        ...(keyboard !== undefined ? { reply_markup: keyboard } : {}),
      });
      return [telegramRef(chatId, sent.message_id)];
    }
    const forceReply = { force_reply: true, input_field_placeholder: truncate(form.label, PLACEHOLDER_MAX) } as const;
    const refs: MessageRef[] = [];
    let prompt: Message.TextMessage;
    if (keyboard === undefined && notice.text !== '') {
      prompt = await api.call('sendMessage', { chat_id: chatId, ...text, reply_markup: forceReply });
    } else {
      // One message cannot carry both an inline keyboard and ForceReply, so the prompt follows.
      if (notice.text !== '') {
        const sent = await api.call('sendMessage', {
          chat_id: chatId,
          ...text,
          ...(keyboard !== undefined ? { reply_markup: keyboard } : {}),
        });
        refs.push(telegramRef(chatId, sent.message_id));
      }
      prompt = await api.call('sendMessage', {
        chat_id: chatId,
        text: `${form.title}\n${form.label}`,
        entities: [{ type: 'bold', offset: 0, length: form.title.length }],
        reply_markup: forceReply,
      });
    }
    this.deps.forms.open(chatId, form.action, prompt.message_id);
    refs.push(telegramRef(chatId, prompt.message_id));
    return refs;
  }

  /** Replies only to a message in the recipient's own chat; a foreign ref would point elsewhere. */
  private replyParameters(chatId: string, replyTo: MessageRef | undefined): { reply_parameters?: ReplyParameters } {
    if (replyTo === undefined || replyTo.platform !== 'telegram' || replyTo.chatId !== chatId) return {};
    return { reply_parameters: { message_id: Number(replyTo.messageId), allow_sending_without_reply: true } };
  }

  private async sendRelay(chatId: string, relay: RelayOutbound): Promise<MessageRef> {
    const reply = this.replyParameters(chatId, relay.replyTo);
    const origin = relay.origin;
    if (origin !== undefined && origin.from.platform === 'telegram' && origin.ref.platform === 'telegram') {
      const copy = await this.deps.api.call('copyMessage', {
        chat_id: chatId,
        from_chat_id: origin.ref.chatId,
        message_id: Number(origin.ref.messageId),
        ...reply,
      });
      return telegramRef(chatId, copy.message_id);
    }
    return telegramRef(chatId, await this.sendNative(chatId, relay.content, reply));
  }

  private async sendNative(
    chat_id: string,
    content: MessageContent,
    reply: { reply_parameters?: ReplyParameters },
  ): Promise<number> {
    const { api } = this.deps;
    switch (content.kind) {
      case 'text': {
        const entities = entitiesToTelegram(content.entities);
        const sent = await api.call('sendMessage', {
          chat_id,
          text: content.text,
          ...(entities !== undefined ? { entities } : {}),
          ...reply,
        });
        return sent.message_id;
      }
      case 'location':
        return (await api.call('sendLocation', { chat_id, latitude: content.latitude, longitude: content.longitude, ...reply }))
          .message_id;
      case 'contact':
        return (
          await api.call('sendContact', {
            chat_id,
            phone_number: content.phoneNumber,
            first_name: content.firstName,
            ...(content.lastName !== undefined ? { last_name: content.lastName } : {}),
            ...reply,
          })
        ).message_id;
      case 'poll':
        return (await api.call('sendPoll', { chat_id, question: content.question, options: content.options, ...reply }))
          .message_id;
      case 'media':
        return this.sendMedia(chat_id, content, reply);
      case 'unsupported':
        throw new DeliveryError('rejected', 'unsupported_content', `cannot deliver ${content.description}`);
    }
  }

  private async inputFile(content: MediaContent): Promise<string | InputFile> {
    const handle = content.file;
    if (handle.platform === 'telegram') return handle.fileId;
    if (handle.url === undefined && this.deps.fileFetcher !== undefined) {
      const fetched = await this.deps.fileFetcher(handle);
      if (fetched === null) throw new DeliveryError('rejected', 'file_unavailable', `${handle.platform} file is not available`);
      if (fetched.data.length > this.deps.maxForeignFileBytes) {
        throw new DeliveryError('rejected', 'file_too_large', `${handle.platform} file is too large`);
      }
      return { source: fetched.data, filename: uploadName(content.media, fetched.fileName) };
    }
    const file = await downloadForeignFile(handle, this.deps.downloadTimeoutMs, this.deps.maxForeignFileBytes);
    return { source: file.bytes, filename: uploadName(content.media, file.fileName) };
  }

  private async sendMedia(
    chat_id: string,
    content: MediaContent,
    reply: { reply_parameters?: ReplyParameters },
  ): Promise<number> {
    const { api } = this.deps;
    const file = await this.inputFile(content);
    const opts = { timeoutMs: this.deps.uploadTimeoutMs };
    const caption = captionFields(content);
    const kind: MediaKind = content.media === 'sticker' ? this.stickerAs(content) : content.media;
    switch (kind) {
      case 'photo':
        return (await api.call('sendPhoto', { chat_id, photo: file, ...caption, ...reply }, opts)).message_id;
      case 'video':
        return (await api.call('sendVideo', { chat_id, video: file, ...caption, ...reply }, opts)).message_id;
      case 'animation':
        return (await api.call('sendAnimation', { chat_id, animation: file, ...caption, ...reply }, opts)).message_id;
      case 'voice':
        return (await api.call('sendVoice', { chat_id, voice: file, ...caption, ...reply }, opts)).message_id;
      case 'audio':
        return (await api.call('sendAudio', { chat_id, audio: file, ...caption, ...reply }, opts)).message_id;
      case 'document':
        return (await api.call('sendDocument', { chat_id, document: file, ...caption, ...reply }, opts)).message_id;
      case 'sticker':
        return (await api.call('sendSticker', { chat_id, sticker: file, ...reply }, opts)).message_id;
      case 'video_note': {
        // Video notes cannot be sent by URL; `file` is a file_id or uploaded bytes here.
        const videoNote = typeof file === 'string' || !('url' in file) ? file : file.url;
        return (await api.call('sendVideoNote', { chat_id, video_note: videoNote, ...reply }, opts)).message_id;
      }
    }
  }

  /**
   * A sticker from another platform is an image Telegram may refuse as a sticker (only WEBP,
   * TGS and WEBM are stickers), so anything but WEBP is shown as a picture or a file instead.
   */
  private stickerAs(content: MediaContent): MediaKind {
    if (content.file.platform === 'telegram') return 'sticker';
    const mime = content.file.mimeType ?? '';
    if (mime === 'image/webp') return 'sticker';
    return mime.startsWith('image/') ? 'photo' : 'document';
  }

  private async sendAlbum(chatId: string, album: AlbumOutbound): Promise<MessageRef[]> {
    const items = album.items;
    const [only] = items;
    if (items.length === 1 && only !== undefined) return [await this.sendRelay(chatId, only)];
    if (items.length === 0) return [];
    const reply = this.replyParameters(chatId, items.find((i) => i.replyTo !== undefined)?.replyTo);
    const source = commonTelegramSource(items);
    // copyMessages keeps the album grouping but cannot reply, so a replying album is re-sent.
    if (source !== undefined && reply.reply_parameters === undefined) return this.copyAlbum(chatId, source, items);
    if (groupable(items)) return this.sendMediaGroups(chatId, items, reply);
    const refs: MessageRef[] = [];
    for (const item of items) refs.push(await this.sendRelay(chatId, item));
    return refs;
  }

  private async copyAlbum(chatId: string, sourceChat: string, items: readonly RelayOutbound[]): Promise<MessageRef[]> {
    const ids = items.map((item) => Number(item.origin?.ref.messageId));
    // The API wants strictly increasing ids; the copies come back in that order.
    const ascending = [...new Set(ids)].sort((a, b) => a - b);
    const copies = await this.deps.api.call('copyMessages', {
      chat_id: chatId,
      from_chat_id: sourceChat,
      message_ids: ascending,
    });
    const copyOf = new Map<number, number>();
    if (copies.length === ascending.length) ascending.forEach((id, i) => copyOf.set(id, copies[i]?.message_id ?? NaN));
    const refs = ids.map((id) => copyOf.get(id));
    if (refs.every((r): r is number => r !== undefined && !Number.isNaN(r)) && ascending.length === ids.length) {
      return refs.map((r) => telegramRef(chatId, r));
    }
    // Telegram skips items it cannot copy, so the pairing is lost; report what exists.
    return copies.map((c) => telegramRef(chatId, c.message_id));
  }

  private async sendMediaGroups(
    chatId: string,
    items: readonly RelayOutbound[],
    reply: { reply_parameters?: ReplyParameters },
  ): Promise<MessageRef[]> {
    const media: GroupMedia[] = [];
    for (const item of items) {
      if (item.content.kind !== 'media') continue;
      const content = item.content;
      const file = await this.inputFile(content);
      const caption = captionFields(content);
      switch (content.media) {
        case 'photo':
          media.push({ type: 'photo', media: file, ...caption });
          break;
        case 'video':
          media.push({ type: 'video', media: file, ...caption });
          break;
        case 'audio':
          media.push({ type: 'audio', media: file, ...caption });
          break;
        default:
          media.push({ type: 'document', media: file, ...caption });
      }
    }
    const refs: MessageRef[] = [];
    for (let i = 0; i < media.length; i += MEDIA_GROUP_MAX) {
      const chunk = media.slice(i, i + MEDIA_GROUP_MAX);
      const sent = await this.deps.api.call(
        'sendMediaGroup',
        { chat_id: chatId, media: chunk, ...(i === 0 ? reply : {}) },
        { timeoutMs: this.deps.uploadTimeoutMs },
      );
      for (const m of sent) refs.push(telegramRef(chatId, m.message_id));
    }
    return refs;
  }
}

/** The one Telegram chat every item was copied from, if there is one. */
function commonTelegramSource(items: readonly RelayOutbound[]): string | undefined {
  let source: string | undefined;
  for (const item of items) {
    const origin = item.origin;
    if (origin === undefined || origin.from.platform !== 'telegram' || origin.ref.platform !== 'telegram') return undefined;
    if (source !== undefined && source !== origin.ref.chatId) return undefined;
    source = origin.ref.chatId;
  }
  return source;
}

/** Telegram groups photos with videos, documents only with documents, audio only with audio. */
function groupable(items: readonly RelayOutbound[]): boolean {
  const kinds = new Set<string>();
  for (const item of items) {
    if (item.content.kind !== 'media') return false;
    const m = item.content.media;
    if (m === 'photo' || m === 'video') kinds.add('visual');
    else if (m === 'document' || m === 'audio') kinds.add(m);
    else return false;
  }
  return kinds.size === 1;
}
