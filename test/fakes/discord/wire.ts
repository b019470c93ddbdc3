/**
 * The JSON shapes the fake speaks: Discord API v10 objects with the fields discord.js reads.
 * Written out here (not imported from discord.js) because the fake stands for Discord itself.
 */

export interface WireUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
  system?: boolean;
  public_flags?: number;
}

export interface WireAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  duration_secs?: number;
  waveform?: string;
  flags?: number;
}

export interface WireStickerItem {
  id: string;
  name: string;
  /** 1 PNG, 2 APNG, 3 LOTTIE, 4 GIF */
  format_type: number;
}

export interface WireMessageReference {
  type?: number;
  message_id?: string;
  channel_id: string;
  guild_id?: string;
  fail_if_not_exists?: boolean;
}

export interface WireMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: WireUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: WireUser[];
  mention_roles: string[];
  attachments: WireAttachment[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  type: number;
  flags: number;
  sticker_items?: WireStickerItem[];
  message_reference?: WireMessageReference;
  referenced_message?: WireMessage | null;
  message_snapshots?: { message: Partial<WireMessage> }[];
  poll?: unknown;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: unknown;
}

export interface WireChannel {
  id: string;
  type: number;
  flags: number;
  last_message_id: string | null;
  recipients?: WireUser[];
  guild_id?: string;
  name?: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  /** Its one text channel, where guild interactions happen. */
  channelId: string;
  ownerId: string;
}

export interface RecordedFile {
  readonly field: string;
  readonly name: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** One REST call the fake received, after routing and failure injection. */
export interface RecordedRequest {
  readonly seq: number;
  readonly method: string;
  /** Path below /api/v10, e.g. /channels/123/messages. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Whether `Authorization: Bot <token>` was present and right. */
  readonly authorized: boolean;
  /** The JSON body, or a multipart body's payload_json. */
  readonly json: unknown;
  readonly files: readonly RecordedFile[];
  status: number;
}

export interface FakeInteraction {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly userId: string;
  readonly channelId: string;
  readonly guildId?: string;
  /** The message a component or modal came from. */
  readonly messageId?: string;
  acknowledged: boolean;
  /** Callback types in order (4 reply, 5 defer, 6 defer update, 7 update, 9 modal). */
  readonly callbacks: { readonly type: number; readonly data: unknown }[];
  originalMessageId?: string;
  ephemeral: boolean;
  modal?: unknown;
}
