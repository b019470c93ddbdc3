import { once } from 'node:events';
import {
  Events,
  GatewayDispatchEvents,
  RESTEvents,
  StickerFormatType,
  type Client,
  type GatewayMessageCreateDispatchData,
  type GatewayMessageDeleteDispatchData,
  type GatewayMessageUpdateDispatchData,
} from 'discord.js';
import {
  DeliveryError,
  KeyedQueue,
  type ContentKind,
  type Inbound,
  type InboundHandler,
  type Log,
  type MessageRef,
  type Outbound,
  type Transport,
  type TransportCapabilities,
  type UserRef,
} from '../../core/index.js';
import { ActionCodec } from './action-codec.js';
import { createDiscordClient } from './client.js';
import { commandDefinitions } from './commands.js';
import { syncCommands } from './command-sync.js';
import { formModal } from './components.js';
import { discordCode, toDeliveryError } from './delivery-errors.js';
import { DmChannels } from './dm-channels.js';
import { mapMessageCreate, mapMessageDelete, mapMessageUpdate, type InboundContext } from './inbound-message.js';
import { InteractionDesk } from './interaction-desk.js';
import { InteractionRouter } from './interaction-router.js';
import { LruMap } from '../../core/lru-map.js';
import { MediaResolver } from './media-resolver.js';
import { MessageSender } from './message-sender.js';
import { ModeratorRoles } from './moderator-roles.js';
import { DEFAULT_TUNING, type DiscordTransportOptions } from './options.js';
import { MAX_TEXT_LENGTH, OutboundRenderer, type RenderedMessage } from './outbound-render.js';

export const DISCORD_CAPABILITIES: TransportCapabilities = {
  // video_note arrives as a plain video file and poll as text; Discord has no such kinds.
  kinds: new Set<ContentKind>([
    'text',
    'photo',
    'video',
    'animation',
    'audio',
    'voice',
    'document',
    'sticker',
    'video_note',
    'location',
    'contact',
    'poll',
  ]),
  maxTextLength: MAX_TEXT_LENGTH,
  canEdit: true,
  canDelete: true,
};

/** Room for the JSON payload and multipart framing inside one upload. */
const MULTIPART_OVERHEAD_BYTES = 256 * 1024;

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'unknown');

/**
 * Discord as a core Transport: one bot, conversations in its DMs, slash commands anywhere.
 * Inbound updates are handed to the core without waiting; sends to one recipient are
 * delivered in call order.
 */
export class DiscordTransport implements Transport {
  readonly platform = 'discord' as const;
  readonly capabilities = DISCORD_CAPABILITIES;

  private readonly client: Client;
  private readonly log: Log;
  private readonly codec = new ActionCodec();
  private readonly dms: DmChannels;
  private readonly sender: MessageSender;
  private readonly renderer: OutboundRenderer;
  private readonly desk: InteractionDesk;
  private readonly router: InteractionRouter;
  private readonly moderators: ModeratorRoles | undefined;
  // discord.js does not await handlers, so the core may send to one recipient several times
  // at once; per-recipient order keeps an interaction reply ahead of its follow-ups.
  private readonly perRecipient = new KeyedQueue();
  /** Messages the bot deleted itself: their MESSAGE_DELETE is not a user's delete. */
  private readonly deletedByBot = new LruMap<string, true>(10_000);
  /** Author of recent user messages, so a delete is attributed without asking Discord. */
  private readonly authors = new LruMap<string, string>(100_000);
  /** The edit each message last reported: a link preview re-sends the message with the same one. */
  private readonly lastEdit = new LruMap<string, string>(20_000);
  private handler: InboundHandler | undefined;
  private started = false;

  constructor(private readonly options: DiscordTransportOptions) {
    const tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.log = options.log.child({ platform: 'discord' });
    this.client = createDiscordClient({
      ...(options.apiRoot !== undefined && { apiRoot: options.apiRoot }),
      ...(options.cdnRoot !== undefined && { cdnRoot: options.cdnRoot }),
    });
    // Sends and command registration work before the gateway is up.
    this.client.rest.setToken(options.token);
    this.dms = new DmChannels(this.client.rest);
    this.sender = new MessageSender(this.client.rest, options.applicationId);
    this.renderer = new OutboundRenderer({
      media: new MediaResolver({
        limitBytes: tuning.uploadLimitBytes - MULTIPART_OVERHEAD_BYTES,
        fetchTimeoutMs: tuning.fileFetchTimeoutMs,
        log: this.log,
        ...(options.fileFetcher && { fileFetcher: options.fileFetcher }),
      }),
      codec: this.codec,
      log: this.log,
      uploadBudgetBytes: tuning.uploadLimitBytes - MULTIPART_OVERHEAD_BYTES,
    });
    this.desk = new InteractionDesk(
      { ackMs: tuning.interactionAckMs, windowMs: tuning.interactionWindowMs },
      this.log,
      (messageId) => this.deletedByBot.set(messageId, true),
      (messageId, handle) => this.sender.rememberInteractionMessage(messageId, handle.token, handle.createdAt),
    );
    this.router = new InteractionRouter({
      codec: this.codec,
      desk: this.desk,
      dms: this.dms,
      sender: this.sender,
      emit: (inbound) => this.emit(inbound),
      log: this.log,
    });
    this.moderators =
      options.moderation && new ModeratorRoles(this.client.rest, options.moderation, tuning.moderatorCacheMs, this.log);
  }

  onInbound(handler: InboundHandler): void {
    this.handler = handler;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.wireEvents();
    const controller = new AbortController();
    const ready = once(this.client, Events.ClientReady, { signal: controller.signal });
    ready.catch(() => undefined);
    try {
      await this.client.login(this.options.token);
      await ready;
    } catch (error) {
      controller.abort();
      this.started = false;
      throw error;
    }
    this.log.info({ guilds: this.client.guilds.cache.size }, 'discord gateway ready');
    await this.registerCommands();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.desk.closeAll();
    await this.client.destroy();
    this.log.info('discord transport stopped');
  }

  send(to: UserRef, outbound: Outbound): Promise<MessageRef[]> {
    if (to.platform !== 'discord') {
      return Promise.reject(new DeliveryError('rejected', 'wrong_platform', `Discord cannot deliver to ${to.platform}`));
    }
    return this.perRecipient.run(to.externalId, async () => {
      try {
        return await this.deliver(to.externalId, outbound);
      } catch (error) {
        throw this.failed(error, `send ${outbound.kind}`);
      }
    });
  }

  async edit(ref: MessageRef, outbound: Outbound): Promise<void> {
    if (ref.platform !== 'discord') throw new DeliveryError('rejected', 'wrong_platform', 'Not a Discord message');
    try {
      await this.sender.edit(ref, this.renderer.renderEdit(outbound));
    } catch (error) {
      throw this.failed(error, 'edit');
    }
  }

  async delete(ref: MessageRef): Promise<void> {
    if (ref.platform !== 'discord') throw new DeliveryError('rejected', 'wrong_platform', 'Not a Discord message');
    this.deletedByBot.set(ref.messageId, true);
    try {
      await this.sender.delete(ref);
    } catch (error) {
      // Already gone (an album's items share one message): the goal is reached.
      if (discordCode(error) === 10008) return;
      throw this.failed(error, 'delete');
    }
  }

  /** Whether this Discord user holds the moderator role (false when no moderation server is configured). */
  async isModerator(user: UserRef): Promise<boolean> {
    if (user.platform !== 'discord' || !this.moderators) return false;
    return this.moderators.isModerator(user.externalId);
  }

  private async deliver(userId: string, outbound: Outbound): Promise<MessageRef[]> {
    if (outbound.kind === 'notice') {
      const pieces = this.renderer.renderNotice(outbound);
      const form = this.renderer.formOf(outbound);
      const viaInteraction = await this.desk.deliver(userId, pieces, form && formModal(form, this.codec));
      if (viaInteraction.handled) return viaInteraction.refs;
      return this.createAll(userId, pieces, false);
    }
    return this.createAll(userId, await this.renderer.render(outbound), outbound.kind === 'album');
  }

  /** For an album, one ref per item (items sharing a message share its ref); otherwise one per message. */
  private async createAll(userId: string, messages: readonly RenderedMessage[], perItem: boolean): Promise<MessageRef[]> {
    const sendable = messages.filter((m) => m.content !== '' || m.files.length > 0 || m.components.length > 0);
    if (sendable.length === 0) throw new DeliveryError('rejected', 'empty_message', 'Nothing to send');
    const channelId = await this.dms.channelOf(userId);
    const refs: MessageRef[] = [];
    try {
      for (const message of sendable) {
        const ref = await this.sender.create(channelId, message);
        const copies = perItem ? message.items : 1;
        for (let i = 0; i < copies; i++) refs.push(ref);
      }
    } catch (error) {
      if (discordCode(error) === 10003) this.dms.forget(userId);
      throw error;
    }
    return refs;
  }

  private failed(error: unknown, operation: string): DeliveryError {
    const failure = toDeliveryError(error);
    this.log.warn({ operation, kind: failure.kind, code: failure.platformCode }, 'discord delivery failed');
    return failure;
  }

  private async registerCommands(): Promise<void> {
    try {
      await syncCommands(this.client.rest, this.options.applicationId, commandDefinitions(), this.log);
    } catch (error) {
      // The commands registered earlier keep working; DMs work without them.
      this.log.error({ code: toDeliveryError(error).platformCode }, 'discord command registration failed');
    }
  }

  private inboundContext(): InboundContext {
    return {
      receivedAt: new Date(),
      stickerUrl: (id, format) =>
        format === StickerFormatType.Lottie ? undefined : this.client.rest.cdn.sticker(id, format === StickerFormatType.GIF ? 'gif' : 'png'),
    };
  }

  private emit(inbound: Inbound): void {
    const handler = this.handler;
    if (!handler) {
      this.log.warn({ kind: inbound.kind }, 'discord inbound dropped: no handler');
      return;
    }
    Promise.resolve()
      .then(() => handler(inbound))
      .catch((error: unknown) => this.log.error({ kind: inbound.kind, err: errorName(error) }, 'inbound handler failed'));
  }

  /**
   * Messages are read from the raw gateway payloads: discord.js drops MESSAGE_UPDATE and
   * MESSAGE_DELETE for DM channels it has not cached (any DM after a restart), and the
   * payloads carry everything the mapping needs.
   */
  private wireEvents(): void {
    const { client, log } = this;
    client.ws.on(GatewayDispatchEvents.MessageCreate, (data: GatewayMessageCreateDispatchData) => {
      const inbound = mapMessageCreate(data, this.inboundContext());
      if (!inbound) return;
      this.dms.remember(data.author.id, data.channel_id);
      this.authors.set(data.id, data.author.id);
      this.emit(inbound);
    });
    client.ws.on(GatewayDispatchEvents.MessageUpdate, (data: GatewayMessageUpdateDispatchData) => {
      const inbound = mapMessageUpdate(data, this.inboundContext());
      if (!inbound || this.lastEdit.get(data.id) === inbound.updateId) return;
      this.lastEdit.set(data.id, inbound.updateId);
      this.emit(inbound);
    });
    client.ws.on(GatewayDispatchEvents.MessageDelete, (data: GatewayMessageDeleteDispatchData) => {
      void this.onMessageDelete(data);
    });
    client.on(Events.InteractionCreate, (interaction) => {
      void this.router.handle(interaction);
    });
    client.on(Events.Error, (error) => log.error({ err: error.name }, 'discord client error'));
    client.on(Events.Warn, (message) => log.debug({ message }, 'discord client warning'));
    // Closing the gateway in stop() also reports a disconnect; only unexpected ones are news.
    client.on(Events.ShardDisconnect, (event, shard) => {
      if (this.started) log.warn({ shard, code: event.code }, 'discord gateway disconnected');
    });
    client.on(Events.ShardReconnecting, (shard) => {
      if (this.started) log.info({ shard }, 'discord gateway reconnecting');
    });
    client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'discord gateway resumed'));
    client.rest.on(RESTEvents.RateLimited, (info) =>
      log.debug({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'discord rate limited'),
    );
  }

  private async onMessageDelete(data: GatewayMessageDeleteDispatchData): Promise<void> {
    if (data.guild_id !== undefined) return;
    if (this.deletedByBot.has(data.id)) {
      this.deletedByBot.delete(data.id);
      return;
    }
    let userId = this.authors.get(data.id);
    if (userId === undefined) {
      try {
        userId = await this.dms.userOf(data.channel_id);
      } catch (error) {
        this.log.warn({ err: errorName(error) }, 'could not attribute a deleted DM message');
        return;
      }
    }
    if (userId !== undefined) this.emit(mapMessageDelete(data, userId, new Date()));
  }
}
