import type { FakeGuild, WireChannel, WireMessage, WireUser } from './wire.js';

/** Discord object builders with the fields a real payload has (and discord.js reads). */

export function user(id: string, username: string, globalName: string | null, bot = false): WireUser {
  return { id, username, global_name: globalName, discriminator: bot ? '1234' : '0', avatar: null, public_flags: 0, ...(bot && { bot: true }) };
}

export function dmChannel(id: string, recipient: WireUser): WireChannel {
  return { id, type: 1, flags: 0, last_message_id: null, recipients: [recipient] };
}

export function guildTextChannel(guild: FakeGuild): Record<string, unknown> {
  return {
    id: guild.channelId,
    type: 0,
    guild_id: guild.id,
    name: 'general',
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    flags: 0,
    last_message_id: null,
    rate_limit_per_user: 0,
    topic: null,
  };
}

export function message(fields: Pick<WireMessage, 'id' | 'channel_id' | 'author'> & Partial<WireMessage>): WireMessage {
  return {
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    type: 0,
    flags: 0,
    ...fields,
  };
}

const EVERYONE_PERMISSIONS = '2248473465835073';

export function guildCreate(guild: FakeGuild, botUser: WireUser): Record<string, unknown> {
  const joinedAt = new Date().toISOString();
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        color: 0,
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: EVERYONE_PERMISSIONS,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [
      { user: botUser, roles: [], joined_at: joinedAt, deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null },
    ],
    channels: [guildTextChannel(guild)],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function guildMember(member: WireUser, roles: readonly string[]): Record<string, unknown> {
  return {
    user: member,
    roles: [...roles],
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    premium_since: null,
    communication_disabled_until: null,
  };
}

export interface InteractionPlace {
  readonly channelId: string;
  readonly guild?: FakeGuild;
}

/** An INTERACTION_CREATE payload; in a DM it carries `user`, in a server `member`. */
export function interaction(fields: {
  id: string;
  applicationId: string;
  token: string;
  type: number;
  data: unknown;
  from: WireUser;
  place: InteractionPlace;
  uploadLimitBytes: number;
  message?: WireMessage;
}): Record<string, unknown> {
  const { place, from } = fields;
  const inGuild = place.guild !== undefined;
  return {
    id: fields.id,
    application_id: fields.applicationId,
    type: fields.type,
    token: fields.token,
    version: 1,
    data: fields.data,
    channel_id: place.channelId,
    channel: place.guild ? guildTextChannel(place.guild) : { ...dmChannel(place.channelId, from) },
    locale: 'en-US',
    app_permissions: '562949953601536',
    entitlements: [],
    attachment_size_limit: fields.uploadLimitBytes,
    context: inGuild ? 0 : 1,
    authorizing_integration_owners: inGuild ? { '0': place.guild?.id } : { '1': from.id },
    ...(place.guild
      ? {
          guild_id: place.guild.id,
          guild: { id: place.guild.id, locale: 'en-US', features: [] },
          guild_locale: 'en-US',
          member: { ...guildMember(from, []), permissions: EVERYONE_PERMISSIONS },
        }
      : { user: from }),
    ...(fields.message && { message: fields.message }),
  };
}
