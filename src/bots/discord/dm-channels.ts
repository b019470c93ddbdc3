import { ChannelType, Routes, type APIChannel, type REST } from 'discord.js';
import { LruMap } from '../../core/lru-map.js';

/**
 * Which DM channel belongs to which user. Every send goes to the user's DM channel, and
 * MESSAGE_DELETE names only the channel, so both directions are kept.
 */
export class DmChannels {
  private readonly channelByUser: LruMap<string, string>;
  private readonly userByChannel: LruMap<string, string>;

  constructor(
    private readonly rest: REST,
    capacity = 100_000,
  ) {
    this.channelByUser = new LruMap(capacity);
    this.userByChannel = new LruMap(capacity);
  }

  remember(userId: string, channelId: string): void {
    this.channelByUser.set(userId, channelId);
    this.userByChannel.set(channelId, userId);
  }

  /** Drops a channel Discord no longer knows (10003), so the next send opens the DM again. */
  forget(userId: string): void {
    const channelId = this.channelByUser.get(userId);
    this.channelByUser.delete(userId);
    if (channelId !== undefined) this.userByChannel.delete(channelId);
  }

  /** The user's DM channel id, opening the DM (an idempotent call on Discord's side) when unknown. */
  async channelOf(userId: string): Promise<string> {
    const known = this.channelByUser.get(userId);
    if (known !== undefined) return known;
    // Plain REST rather than users.createDM, which builds a DMChannel and so needs the
    // logged-in client user: sends must work before (and regardless of) the gateway.
    const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
    this.remember(userId, channel.id);
    return channel.id;
  }

  /** The user whose DM this channel is; asks Discord when the channel is not known yet (after a restart). */
  async userOf(channelId: string): Promise<string | undefined> {
    const known = this.userByChannel.get(channelId);
    if (known !== undefined) return known;
    const channel = (await this.rest.get(Routes.channel(channelId))) as APIChannel;
    if (channel.type !== ChannelType.DM) return undefined;
    const userId = channel.recipients?.[0]?.id;
    if (userId !== undefined) this.remember(userId, channelId);
    return userId;
  }
}
