import {
  notice,
  texts,
  UserError,
  type AlbumInbound,
  type ChatInbound,
  type DeleteInbound,
  type EditInbound,
  type LivePair,
  type LoggedMessage,
  type Log,
  type MatchingPort,
  type MessageContent,
  type MessageInbound,
  type MessageRef,
  type MessageRepository,
  type RelayOutbound,
  type RelayPort,
  type SessionControl,
  type UserRecord,
} from '../core/index.js';
import { anonymize, kindOf } from './anonymize.js';
import type { Delivery } from './delivery.js';
import type { FloodControl } from './flood.js';
import type { ActivityTracker, SessionService } from './session-service.js';
import { splitText } from './split-text.js';

const KIND_LABEL: Record<string, string> = {
  video_note: 'video messages',
  sticker: 'stickers',
  poll: 'polls',
  contact: 'contacts',
  location: 'locations',
  animation: 'GIFs',
  voice: 'voice messages',
};

/**
 * Carries chat messages to the partner: checks the pair, flood limit and what the
 * partner's platform can show, logs the message, and queues an anonymized copy. Edits,
 * deletions and replies follow through the original → copy references in the log.
 */
export class Relay implements RelayPort {
  constructor(
    private readonly deps: {
      readonly sessions: SessionService;
      readonly control: SessionControl;
      readonly matching: MatchingPort;
      readonly messages: MessageRepository;
      readonly delivery: Delivery;
      readonly flood: FloodControl;
      readonly activity: ActivityTracker;
      readonly log: Log;
    },
  ) {}

  async handle(user: UserRecord, inbound: ChatInbound): Promise<void> {
    const pair = await this.deps.control.current(user.id);
    if (!pair) {
      if (inbound.kind === 'edit' || inbound.kind === 'delete') return; // edits of old chats go nowhere, quietly
      throw new UserError('not_in_chat', texts.NOT_IN_CHAT_MESSAGE);
    }
    switch (inbound.kind) {
      case 'message':
        return this.relayMessages(user, pair, [inbound], undefined);
      case 'album':
        return this.relayMessages(user, pair, inbound.items, inbound);
      case 'edit':
        return this.relayEdit(pair, inbound);
      case 'delete':
        return this.relayDelete(pair, inbound);
    }
  }

  private async relayMessages(user: UserRecord, pair: LivePair, items: readonly MessageInbound[], album: AlbumInbound | undefined): Promise<void> {
    const { delivery, messages, log } = this.deps;
    const verdict = await this.deps.flood.hit(user.id);
    if (verdict !== 'ok') {
      log.info({ sessionId: pair.sessionId, verdict }, 'flood limit: message not relayed');
      if (verdict === 'over_first') throw new UserError('flood', texts.SLOW_DOWN);
      return;
    }
    const partner = await this.deps.sessions.user(pair.partnerId);
    if (!partner) throw new Error(`partner ${pair.partnerId} of ${pair.sessionId} has no user row`);
    const caps = delivery.transportFor(partner.ref.platform).capabilities;

    const outbounds: { item: MessageInbound; content: MessageContent }[] = [];
    for (const item of items) {
      const content = anonymize(item.content);
      if (content.kind === 'unsupported') {
        throw new UserError('unsupported_content', `This kind of message (${content.description}) can't be relayed, so your partner didn't get it.`);
      }
      const kind = kindOf(content);
      if (!caps.kinds.has(kind)) {
        throw new UserError('unsupported_content', `Your partner's app can't show ${KIND_LABEL[kind] ?? kind}, so it wasn't delivered.`);
      }
      outbounds.push({ item, content });
    }

    // Long text is split into several messages, each logged against the same original.
    const single = outbounds.length === 1 ? outbounds[0] : undefined;
    if (single && single.content.kind === 'text' && single.content.text.length > caps.maxTextLength) {
      const parts = splitText(single.content.text, caps.maxTextLength);
      if (!parts) {
        throw new UserError('too_long', `That message is too long (${single.content.text.length} characters). Please send it in shorter pieces.`);
      }
      outbounds.splice(0, 1, ...parts.map((text) => ({ item: single.item, content: { kind: 'text' as const, text } })));
    }

    const logged: LoggedMessage[] = [];
    for (const { item, content } of outbounds) {
      logged.push(
        await messages.record({
          sessionId: pair.sessionId,
          senderId: user.id,
          content,
          original: item.ref,
          ...(album ? { albumId: album.albumId } : {}),
          at: item.receivedAt,
        }),
      );
    }
    await this.deps.activity.touched(pair.sessionId);

    const replyTo = items[0]?.replyTo ? await this.mapReply(pair, items[0].replyTo) : undefined;
    const copies: RelayOutbound[] = outbounds.map(({ item, content }, i) => ({
      kind: 'relay',
      content,
      // A split text is a new message on the far side; native copy only for the untouched original.
      ...(outbounds.length === items.length ? { origin: { from: user.ref, ref: item.ref } } : {}),
      ...(replyTo && i === 0 ? { replyTo } : {}),
    }));
    const onRejected = async () => {
      await delivery.send(user.ref, [notice("Your last message couldn't be delivered to the stranger.")]);
    };
    if (album && copies.length > 1) {
      delivery.enqueue(partner.ref, {
        op: 'send',
        outbound: { kind: 'album', items: copies },
        onDelivered: async (refs) => {
          await Promise.all(refs.map((ref, i) => (logged[i] ? messages.setCopy(logged[i].id, ref) : Promise.resolve())));
        },
        onRejected,
      });
      return;
    }
    copies.forEach((outbound, i) => {
      const entry = logged[i];
      delivery.enqueue(partner.ref, {
        op: 'send',
        outbound,
        onDelivered: async (refs) => {
          if (entry && refs[0]) await messages.setCopy(entry.id, refs[0]);
        },
        onRejected,
      });
    });
  }

  /** A reply in the sender's chat points at either their own original or a copy we sent them. */
  private async mapReply(pair: LivePair, ref: MessageRef): Promise<MessageRef | undefined> {
    const own = await this.deps.messages.byOriginal(pair.sessionId, ref);
    if (own?.copy) return own.copy;
    const theirs = await this.deps.messages.byCopy(pair.sessionId, ref);
    return theirs?.original;
  }

  private async relayEdit(pair: LivePair, inbound: EditInbound): Promise<void> {
    const { messages, delivery } = this.deps;
    const entry = await messages.byOriginal(pair.sessionId, inbound.ref);
    if (!entry) return;
    const content = anonymize(inbound.content);
    await messages.markEdited(entry.id, content, inbound.receivedAt);
    const partner = await this.deps.sessions.user(pair.partnerId);
    if (!partner || !delivery.transportFor(partner.ref.platform).capabilities.canEdit) return;
    delivery.enqueue(partner.ref, {
      op: 'edit',
      target: async () => (await messages.byOriginal(pair.sessionId, inbound.ref))?.copy ?? null,
      // Like the original's copy: the recipient's adapter renders by the sender's platform (Discord escapes plain text).
      outbound: { kind: 'relay', content, origin: { from: inbound.userRef, ref: inbound.ref } },
    });
  }

  private async relayDelete(pair: LivePair, inbound: DeleteInbound): Promise<void> {
    const { messages, delivery } = this.deps;
    const entry = await messages.byOriginal(pair.sessionId, inbound.ref);
    if (!entry) return;
    await messages.markDeleted(entry.id, inbound.receivedAt);
    const partner = await this.deps.sessions.user(pair.partnerId);
    if (!partner || !delivery.transportFor(partner.ref.platform).capabilities.canDelete) return;
    delivery.enqueue(partner.ref, {
      op: 'delete',
      target: async () => (await messages.byOriginal(pair.sessionId, inbound.ref))?.copy ?? null,
    });
  }
}
