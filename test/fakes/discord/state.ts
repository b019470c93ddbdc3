import { discordError, type FailureSpec } from './failures.js';
import * as build from './payloads.js';
import { Snowflakes } from './snowflakes.js';
import type { FakeGuild, FakeInteraction, RecordedFile, WireAttachment, WireChannel, WireMessage, WireUser } from './wire.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const MessageFlag = { Ephemeral: 64, Loading: 128, VoiceMessage: 8192 } as const;

export interface CdnFile {
  readonly data: Buffer;
  readonly contentType: string;
}

export type Dispatch = (event: string, data: unknown) => void;

/** Everything the fake Discord knows: users, channels, messages, interactions, commands, files. */
export class FakeState {
  readonly ids = new Snowflakes();
  readonly bot: WireUser;
  readonly users = new Map<string, WireUser>();
  readonly channels = new Map<string, WireChannel>();
  readonly messages = new Map<string, WireMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly cdn = new Map<string, CdnFile>();
  readonly guilds: FakeGuild[] = [];
  readonly guildRoles = new Map<string, Map<string, string[]>>();
  commands: Record<string, unknown>[] = [];
  private readonly dmByUser = new Map<string, string>();

  constructor(
    readonly applicationId: string,
    botUsername: string,
    private readonly cdnRoot: () => string,
    private readonly dispatch: Dispatch,
    private readonly echoBotMessages: boolean,
  ) {
    this.bot = build.user(applicationId, botUsername, null, true);
  }

  addUser(username: string, globalName: string | null): WireUser {
    const created = build.user(this.ids.next(), username, globalName);
    this.users.set(created.id, created);
    return created;
  }

  addGuild(name: string): FakeGuild {
    const guild: FakeGuild = { id: this.ids.next(), name, channelId: this.ids.next(), ownerId: this.ids.next() };
    this.guilds.push(guild);
    return guild;
  }

  /** The DM channel between the bot and a user; Discord returns the same one every time. */
  openDm(userId: string): WireChannel {
    const known = this.dmByUser.get(userId);
    const existing = known === undefined ? undefined : this.channels.get(known);
    if (existing) return existing;
    const recipient = this.users.get(userId);
    if (!recipient) throw new Error(`unknown user ${userId}`);
    const channel = build.dmChannel(this.ids.next(), recipient);
    this.channels.set(channel.id, channel);
    this.dmByUser.set(userId, channel.id);
    return channel;
  }

  dmChannelIdOf(userId: string): string | undefined {
    return this.dmByUser.get(userId);
  }

  storeFile(channelId: string, fileName: string, data: Buffer, contentType: string): WireAttachment {
    const id = this.ids.next();
    const path = `attachments/${channelId}/${id}/${encodeURIComponent(fileName)}`;
    this.cdn.set(path, { data, contentType });
    // Real attachment urls are signed and expire; the query mimics that shape.
    const signature = `?ex=${Math.floor(Date.now() / 1000 + 86_400).toString(16)}&is=0&hm=fake`;
    return {
      id,
      filename: fileName,
      size: data.byteLength,
      url: `${this.cdnRoot()}/${path}${signature}`,
      proxy_url: `${this.cdnRoot()}/${path}${signature}`,
      content_type: contentType,
    };
  }

  storeSticker(id: string, extension: string, data: Buffer, contentType: string): void {
    this.cdn.set(`stickers/${id}.${extension}`, { data, contentType });
  }

  /** A message the bot creates (channel send, interaction reply, follow-up). */
  createBotMessage(
    channelId: string,
    body: unknown,
    files: readonly RecordedFile[],
    extra: Partial<WireMessage> = {},
  ): { message: WireMessage } | { failure: FailureSpec } {
    const b = isRecord(body) ? body : {};
    const declared = Array.isArray(b.attachments) ? b.attachments.filter(isRecord) : [];
    const attachments = files.map((file, index) => {
      const name = declared.find((a) => a.id === index || a.id === String(index))?.filename;
      return this.storeFile(channelId, typeof name === 'string' ? name : file.name, file.data, file.contentType);
    });
    let reference: Partial<WireMessage> = {};
    if (isRecord(b.message_reference) && typeof b.message_reference.message_id === 'string') {
      const target = this.messages.get(b.message_reference.message_id);
      if (!target && b.message_reference.fail_if_not_exists !== false) return { failure: discordError(50035) };
      reference = {
        type: 19,
        message_reference: { type: 0, message_id: b.message_reference.message_id, channel_id: channelId },
        referenced_message: target ?? null,
      };
    }
    const flags = typeof b.flags === 'number' ? b.flags : 0;
    const created = build.message({
      id: this.ids.next(),
      channel_id: channelId,
      author: this.bot,
      content: typeof b.content === 'string' ? b.content : '',
      components: Array.isArray(b.components) ? b.components : [],
      attachments,
      flags,
      ...reference,
      ...extra,
    });
    this.messages.set(created.id, created);
    this.touch(channelId, created.id);
    if ((created.flags & MessageFlag.Ephemeral) === 0) this.echo('MESSAGE_CREATE', created);
    return { message: created };
  }

  editBotMessage(target: WireMessage, body: unknown): WireMessage {
    const b = isRecord(body) ? body : {};
    if (typeof b.content === 'string') target.content = b.content;
    if (Array.isArray(b.components)) target.components = b.components;
    target.flags &= ~MessageFlag.Loading;
    target.edited_timestamp = new Date().toISOString();
    if ((target.flags & MessageFlag.Ephemeral) === 0) this.echo('MESSAGE_UPDATE', target);
    return target;
  }

  deleteMessage(target: WireMessage): void {
    this.messages.delete(target.id);
    if ((target.flags & MessageFlag.Ephemeral) !== 0) return;
    const event = { id: target.id, channel_id: target.channel_id, ...(target.guild_id !== undefined && { guild_id: target.guild_id }) };
    if (target.author.bot) this.echo('MESSAGE_DELETE', event);
    else this.dispatch('MESSAGE_DELETE', event);
  }

  messagesIn(channelId: string): WireMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  interactionByToken(token: string): FakeInteraction | undefined {
    return [...this.interactions.values()].find((i) => i.token === token);
  }

  putCommands(list: readonly unknown[]): Record<string, unknown>[] {
    const byName = new Map(this.commands.map((c) => [c.name, c]));
    this.commands = list.filter(isRecord).map((c) => ({
      id: byName.get(c.name)?.id ?? this.ids.next(),
      application_id: this.applicationId,
      version: this.ids.next(),
      default_member_permissions: null,
      type: 1,
      dm_permission: true,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      ...c,
    }));
    return this.commands;
  }

  setRoles(guildId: string, userId: string, roles: readonly string[]): void {
    const members = this.guildRoles.get(guildId) ?? new Map<string, string[]>();
    members.set(userId, [...roles]);
    this.guildRoles.set(guildId, members);
  }

  private touch(channelId: string, messageId: string): void {
    const channel = this.channels.get(channelId);
    if (channel) channel.last_message_id = messageId;
  }

  private echo(event: string, data: unknown): void {
    // Discord sends the bot its own messages too; adapters must ignore them.
    if (this.echoBotMessages) this.dispatch(event, data);
  }
}
