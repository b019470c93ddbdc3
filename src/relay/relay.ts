import {
  contentKind,
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
  type MessageContent,
  type MessageInbound,
  type MessageRef,
  type MessageRepository,
  type RelayOutbound,
  type RelayPort,
  type SessionRepository,
  type UndeliveredMessage,
  type SessionControl,
  type UserRecord,
  type UserRef,
} from '../core/index.js';
import { anonymize } from './anonymize.js';
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
      readonly messages: MessageRepository;
      readonly sessionRows: SessionRepository;
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
      const kind = contentKind(content);
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
    if (album && copies.length > 1) {
      delivery.enqueue(partner.ref, {
        op: 'send',
        outbound: { kind: 'album', items: copies },
        onDelivered: async (refs) => {
          await Promise.all(refs.map((ref, i) => (logged[i] ? messages.setCopy(logged[i].id, ref) : Promise.resolve())));
        },
        onRejected: this.givenUp(user.ref, logged),
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
        onRejected: this.givenUp(user.ref, entry ? [entry] : []),
      });
    });
  }

  /** The platform refused the copy: the sender is told, and a restart does not try it again. */
  private givenUp(sender: UserRef, entries: readonly { readonly id: string }[]): () => Promise<void> {
    return async () => {
      await this.deps.messages.markFailed(entries.map((e) => e.id), new Date());
      await this.deps.delivery.send(sender, [notice(texts.NOT_DELIVERED)]);
    };
  }

  /**
   * Delivery queues live in memory: messages a stopped process had accepted but not yet
   * delivered are logged without a copy. At start they are queued again, oldest first, so
   * nothing accepted is lost. A crash between a send and its log update can repeat one
   * message; with several relay processes, run this in one of them only.
   */
  async resumeUndelivered(since: Date, olderThan: Date): Promise<number> {
    const { messages, delivery, log } = this.deps;
    const pending = await messages.undelivered(since);
    let queued = 0;
    const groups = new Map<string, UndeliveredMessage[]>();
    for (const m of pending) {
      // Parts of one split text share their original: each part is its own message over there.
      const key = m.albumId ? `album:${m.sessionId}:${m.albumId}` : `msg:${m.id}`;
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    const splitOriginals = new Set(
      pending
        .map((m) => `${m.original.chatId}:${m.original.messageId}`)
        .filter((k, i, all) => all.indexOf(k) !== i),
    );
    for (const group of groups.values()) {
      const first = group[0];
      if (!first) continue;
      const session = await this.deps.sessionRows.get(first.sessionId);
      if (!session || session.endedAt) continue;
      const sender = await this.deps.sessions.user(first.senderId);
      const partner = await this.deps.sessions.user(session.userAId === first.senderId ? session.userBId : session.userAId);
      if (!sender || !partner) continue;
      if (group.some((m) => m.at.getTime() > olderThan.getTime())) continue;
      const copies: RelayOutbound[] = group.map((m) => ({
        kind: 'relay',
        content: m.content,
        ...(splitOriginals.has(`${m.original.chatId}:${m.original.messageId}`) ? {} : { origin: { from: sender.ref, ref: m.original } }),
      }));
      const onDelivered = async (refs: MessageRef[]) => {
        await Promise.all(group.map((m, i) => (refs[i] ? messages.setCopy(m.id, refs[i]) : Promise.resolve())));
      };
      const single = copies.length === 1 ? copies[0] : undefined;
      delivery.enqueue(partner.ref, {
        op: 'send',
        outbound: single ?? { kind: 'album', items: copies },
        onDelivered,
        onRejected: this.givenUp(sender.ref, group),
      });
      queued += group.length;
    }
    if (queued > 0) log.warn({ queued }, 'undelivered messages from before the restart queued again');
    return queued;
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
