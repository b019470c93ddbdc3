import type { FakeApiError } from './api-error.js';
import { telegramErrors } from './api-error.js';

export type Json = Record<string, unknown>;

/** What a simulated person or group needs from the fake Bot API to produce realistic updates. */
export interface FakeWorld {
  readonly bot: Json;
  registerChat(chat: Json): void;
  allocateMessageId(chatId: number): number;
  storeMessage(message: Json): void;
  findMessage(chatId: number, messageId: number): Json | undefined;
  createFile(kind: FileKind, options?: { bytes?: Buffer; mimeType?: string; fileName?: string }): Json;
  pushUpdate(update: Json): Json & { update_id: number };
  failAlways(chatId: number, error: FakeApiError): void;
  clearFailures(chatId: number): void;
  newCallbackQueryId(): string;
}

export type FileKind = 'photo' | 'video' | 'animation' | 'voice' | 'audio' | 'video_note' | 'sticker' | 'document';

export interface TgProfile {
  readonly id: number;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
}

/** One update a simulated user caused, and the message it carried (if any). */
export interface Sent {
  readonly update: Json & { update_id: number };
  readonly updateId: number;
  readonly message: Json;
  readonly messageId: number;
}

export interface EntityJson {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
  readonly language?: string;
  readonly user?: Json;
}

const now = (): number => Math.floor(Date.now() / 1000);

let mediaGroupCounter = 13_000_000_000_000_000;

/**
 * A Telegram user talking to the bot in a private chat (chat id = user id), producing the
 * updates real clients cause.
 */
export class SimulatedUser {
  readonly from: Json;
  readonly chat: Json;

  constructor(
    private readonly world: FakeWorld,
    readonly profile: TgProfile,
  ) {
    this.from = {
      id: profile.id,
      is_bot: false,
      first_name: profile.first_name,
      ...(profile.last_name !== undefined ? { last_name: profile.last_name } : {}),
      ...(profile.username !== undefined ? { username: profile.username } : {}),
      language_code: 'en',
    };
    this.chat = {
      id: profile.id,
      type: 'private',
      first_name: profile.first_name,
      ...(profile.last_name !== undefined ? { last_name: profile.last_name } : {}),
      ...(profile.username !== undefined ? { username: profile.username } : {}),
    };
    world.registerChat(this.chat);
  }

  get id(): number {
    return this.profile.id;
  }

  /** Sends a message with the given content fields (text, photo, ...) and pushes its update. */
  send(content: Json, options: { replyTo?: number } = {}): Sent {
    const messageId = this.world.allocateMessageId(this.id);
    const replied = options.replyTo !== undefined ? this.world.findMessage(this.id, options.replyTo) : undefined;
    const message: Json = {
      message_id: messageId,
      from: this.from,
      chat: this.chat,
      date: now(),
      ...content,
      ...(replied !== undefined ? { reply_to_message: replied } : {}),
    };
    this.world.storeMessage(message);
    const update = this.world.pushUpdate({ message });
    return { update, updateId: update.update_id, message, messageId };
  }

  text(text: string, options: { entities?: readonly EntityJson[]; replyTo?: number } = {}): Sent {
    return this.send({ text, ...(options.entities !== undefined ? { entities: options.entities } : {}) }, options);
  }

  reply(messageId: number, text: string): Sent {
    return this.text(text, { replyTo: messageId });
  }

  /** "/name args", optionally addressed as "/name@bot args" the way group clients write it. */
  command(name: string, args = '', options: { addressed?: boolean | string } = {}): Sent {
    const addressee =
      options.addressed === true ? `@${String(this.world.bot.username)}` : typeof options.addressed === 'string' ? `@${options.addressed}` : '';
    const head = `/${name}${addressee}`;
    const text = args === '' ? head : `${head} ${args}`;
    return this.text(text, { entities: [{ type: 'bot_command', offset: 0, length: head.length }] });
  }

  private captioned(caption: string | undefined, entities: readonly EntityJson[] | undefined): Json {
    if (caption === undefined) return {};
    return { caption, ...(entities !== undefined ? { caption_entities: entities } : {}) };
  }

  photoSizes(): Json[] {
    const small = this.world.createFile('photo');
    const large = this.world.createFile('photo');
    return [
      { ...small, width: 90, height: 68 },
      { ...large, width: 1280, height: 960 },
    ];
  }

  photo(options: { caption?: string; captionEntities?: readonly EntityJson[]; replyTo?: number } = {}): Sent {
    return this.send({ photo: this.photoSizes(), ...this.captioned(options.caption, options.captionEntities) }, options);
  }

  /** Several photos sharing one media_group_id, pushed as separate updates like Telegram does. */
  album(count: number, options: { captions?: readonly (string | undefined)[] } = {}): Sent[] {
    const groupId = String(mediaGroupCounter++);
    const sent: Sent[] = [];
    for (let i = 0; i < count; i++) {
      sent.push(
        this.send({ photo: this.photoSizes(), media_group_id: groupId, ...this.captioned(options.captions?.[i], undefined) }),
      );
    }
    return sent;
  }

  video(caption?: string): Sent {
    const file = this.world.createFile('video', { mimeType: 'video/mp4' });
    return this.send({ video: { ...file, width: 640, height: 360, duration: 5 }, ...this.captioned(caption, undefined) });
  }

  animation(): Sent {
    const file = this.world.createFile('animation', { mimeType: 'video/mp4', fileName: 'funny.gif.mp4' });
    // Clients deliver a GIF with both fields; `animation` is the one that matters.
    return this.send({ animation: { ...file, width: 320, height: 240, duration: 2 }, document: file });
  }

  voice(): Sent {
    const file = this.world.createFile('voice', { mimeType: 'audio/ogg' });
    return this.send({ voice: { ...file, duration: 3 } });
  }

  audio(): Sent {
    const file = this.world.createFile('audio', { mimeType: 'audio/mpeg', fileName: 'song.mp3' });
    return this.send({ audio: { ...file, duration: 180, title: 'Song' } });
  }

  videoNote(): Sent {
    const file = this.world.createFile('video_note');
    return this.send({ video_note: { ...file, length: 240, duration: 4 } });
  }

  sticker(): Sent {
    const file = this.world.createFile('sticker', { mimeType: 'image/webp' });
    return this.send({
      sticker: { ...file, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '😀' },
    });
  }

  document(options: { caption?: string; fileName?: string } = {}): Sent {
    const file = this.world.createFile('document', {
      mimeType: 'application/pdf',
      fileName: options.fileName ?? 'notes.pdf',
    });
    return this.send({ document: file, ...this.captioned(options.caption, undefined) });
  }

  location(latitude: number, longitude: number): Sent {
    return this.send({ location: { latitude, longitude } });
  }

  contact(phoneNumber: string, firstName: string, lastName?: string): Sent {
    return this.send({
      contact: { phone_number: phoneNumber, first_name: firstName, ...(lastName !== undefined ? { last_name: lastName } : {}) },
    });
  }

  poll(question: string, options: readonly string[]): Sent {
    return this.send({
      poll: {
        id: String(Date.now()),
        question,
        options: options.map((text) => ({ text, voter_count: 0 })),
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: 'regular',
        allows_multiple_answers: false,
      },
    });
  }

  dice(): Sent {
    return this.send({ dice: { emoji: '🎲', value: 4 } });
  }

  /** The user edits one of their text messages: an edited_message update. */
  editText(messageId: number, text: string, entities?: readonly EntityJson[]): Sent {
    const original = this.world.findMessage(this.id, messageId);
    if (original === undefined) throw new Error(`no message ${messageId} in chat ${this.id}`);
    const message: Json = {
      ...original,
      text,
      edit_date: now(),
      ...(entities !== undefined ? { entities } : {}),
    };
    if (entities === undefined) delete message.entities;
    this.world.storeMessage(message);
    const update = this.world.pushUpdate({ edited_message: message });
    return { update, updateId: update.update_id, message, messageId };
  }

  /** Presses an inline button under a message the bot sent to this user. */
  press(messageId: number, data: string): { update: Json & { update_id: number }; queryId: string } {
    const message = this.world.findMessage(this.id, messageId);
    if (message === undefined) throw new Error(`no message ${messageId} in chat ${this.id}`);
    const queryId = this.world.newCallbackQueryId();
    const update = this.world.pushUpdate({
      callback_query: { id: queryId, from: this.from, message, chat_instance: `ci${this.id}`, data },
    });
    return { update, queryId };
  }

  /** The user blocks the bot: Telegram reports it once and refuses every later send with 403. */
  blockBot(): Json & { update_id: number } {
    this.world.failAlways(this.id, telegramErrors.blocked());
    return this.world.pushUpdate({
      my_chat_member: {
        chat: this.chat,
        from: this.from,
        date: now(),
        old_chat_member: { user: this.world.bot, status: 'member' },
        new_chat_member: { user: this.world.bot, status: 'kicked', until_date: 0 },
      },
    });
  }

  unblockBot(): Json & { update_id: number } {
    this.world.clearFailures(this.id);
    return this.world.pushUpdate({
      my_chat_member: {
        chat: this.chat,
        from: this.from,
        date: now(),
        old_chat_member: { user: this.world.bot, status: 'kicked', until_date: 0 },
        new_chat_member: { user: this.world.bot, status: 'member' },
      },
    });
  }
}

/** A group or supergroup the bot was added to. */
export class SimulatedGroup {
  readonly chat: Json;

  constructor(
    private readonly world: FakeWorld,
    readonly id: number,
    title: string,
    type: 'group' | 'supergroup' = 'supergroup',
  ) {
    this.chat = { id, type, title };
    world.registerChat(this.chat);
  }

  message(from: SimulatedUser, text: string): Sent {
    const messageId = this.world.allocateMessageId(this.id);
    const message: Json = { message_id: messageId, from: from.from, chat: this.chat, date: now(), text };
    this.world.storeMessage(message);
    const update = this.world.pushUpdate({ message });
    return { update, updateId: update.update_id, message, messageId };
  }
}
