import type {
  ContentKind,
  DeliveryError,
  Inbound,
  InboundHandler,
  MessageContent,
  MessageRef,
  Outbound,
  Platform,
  Profile,
  Transport,
  TransportCapabilities,
  UserRef,
} from '../../src/core/index.js';
import { CARRIED_KINDS } from '../../src/core/index.js';

export interface SentRecord {
  readonly to: UserRef;
  readonly outbound: Outbound;
  readonly refs: readonly MessageRef[];
  readonly at: number;
}

export interface EditRecord {
  readonly ref: MessageRef;
  readonly outbound: Outbound;
}


type Failure = DeliveryError | ((outbound: Outbound) => DeliveryError | undefined);

/**
 * An in-memory chat platform. Tests speak as users through `FakeUser` and read what the
 * bot sent from `sent`. Failures can be queued per recipient to drive retries and
 * permanent-failure paths.
 */
export class FakeTransport implements Transport {
  readonly capabilities: TransportCapabilities;
  readonly sent: SentRecord[] = [];
  readonly edits: EditRecord[] = [];
  readonly deletes: MessageRef[] = [];
  private handler: InboundHandler | undefined;
  private nextMessageId = 1;
  private nextUpdateId = 1;
  private readonly failures = new Map<string, Failure[]>();
  private readonly waiters: { predicate: (r: SentRecord) => boolean; resolve: (r: SentRecord) => void }[] = [];
  started = false;

  constructor(
    readonly platform: Platform = 'telegram',
    caps: Partial<Omit<TransportCapabilities, 'kinds'>> & { kinds?: readonly ContentKind[] } = {},
  ) {
    this.capabilities = {
      kinds: new Set(caps.kinds ?? CARRIED_KINDS),
      maxTextLength: caps.maxTextLength ?? 4096,
      canEdit: caps.canEdit ?? true,
      canDelete: caps.canDelete ?? true,
    };
  }

  start(): Promise<void> {
    this.started = true;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.started = false;
    return Promise.resolve();
  }

  onInbound(handler: InboundHandler): void {
    this.handler = handler;
  }

  send(to: UserRef, outbound: Outbound): Promise<MessageRef[]> {
    const failure = this.takeFailure(to.externalId, outbound);
    if (failure) return Promise.reject(failure);
    const count = outbound.kind === 'album' ? outbound.items.length : 1;
    const refs = Array.from({ length: count }, () => ({
      platform: this.platform,
      chatId: to.externalId,
      messageId: String(this.nextMessageId++),
    }));
    const record = { to, outbound, refs, at: Date.now() };
    this.sent.push(record);
    for (const w of [...this.waiters]) {
      if (w.predicate(record)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(record);
      }
    }
    return Promise.resolve(refs);
  }

  edit(ref: MessageRef, outbound: Outbound): Promise<void> {
    this.edits.push({ ref, outbound });
    return Promise.resolve();
  }

  delete(ref: MessageRef): Promise<void> {
    this.deletes.push(ref);
    return Promise.resolve();
  }

  /** Queue a failure for the next send(s) to this recipient. */
  failNext(externalId: string, failure: Failure, times = 1): void {
    const list = this.failures.get(externalId) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(externalId, list);
  }

  /** Every send to this recipient fails from now on (a user who blocked the bot). */
  failAlways(externalId: string, failure: DeliveryError): void {
    this.failures.set(externalId, [failure, ...Array.from({ length: 10_000 }, () => failure)]);
  }

  user(externalId: string, profile: Profile = {}): FakeUser {
    return new FakeUser(this, { platform: this.platform, externalId }, profile);
  }

  async deliver(inbound: Inbound): Promise<void> {
    if (!this.handler) throw new Error('FakeTransport: no inbound handler registered');
    await this.handler(inbound);
  }

  newUpdateId(): string {
    return `u${this.nextUpdateId++}`;
  }

  newMessageRef(chatId: string): MessageRef {
    return { platform: this.platform, chatId, messageId: String(this.nextMessageId++) };
  }

  sentTo(externalId: string): SentRecord[] {
    return this.sent.filter((s) => s.to.externalId === externalId);
  }

  waitForSend(predicate: (r: SentRecord) => boolean, timeoutMs = 5000): Promise<SentRecord> {
    const existing = this.sent.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`FakeTransport: no matching send within ${timeoutMs} ms`));
        }
      }, timeoutMs).unref();
    });
  }

  private takeFailure(externalId: string, outbound: Outbound): DeliveryError | undefined {
    const list = this.failures.get(externalId);
    if (!list || list.length === 0) return undefined;
    const next = list.shift();
    if (typeof next === 'function') return next(outbound);
    return next;
  }
}

/** Text of a notice or relayed text/caption, for assertions. */
export function textOf(outbound: Outbound): string {
  if (outbound.kind === 'notice') return outbound.text;
  if (outbound.kind === 'album') return outbound.items.map((i) => textOf(i)).join('\n');
  const c = outbound.content;
  if (c.kind === 'text') return c.text;
  if (c.kind === 'media') return c.caption ?? '';
  return '';
}

export class FakeUser {
  constructor(
    readonly transport: FakeTransport,
    readonly ref: UserRef,
    readonly profile: Profile,
  ) {}

  private base(updateId?: string) {
    return {
      userRef: this.ref,
      updateId: updateId ?? this.transport.newUpdateId(),
      receivedAt: new Date(),
      profile: this.profile,
    };
  }

  command(name: string, args = '', updateId?: string): Promise<void> {
    return this.transport.deliver({ ...this.base(updateId), kind: 'command', name, args });
  }

  /** Sends a message; resolves with the ref the platform gave the original. */
  async say(content: MessageContent | string, opts: { replyTo?: MessageRef; updateId?: string } = {}): Promise<MessageRef> {
    const ref = this.transport.newMessageRef(this.ref.externalId);
    const c: MessageContent = typeof content === 'string' ? { kind: 'text', text: content } : content;
    await this.transport.deliver({
      ...this.base(opts.updateId),
      kind: 'message',
      ref,
      content: c,
      ...(opts.replyTo ? { replyTo: opts.replyTo } : {}),
    });
    return ref;
  }

  edit(ref: MessageRef, content: MessageContent | string): Promise<void> {
    const c: MessageContent = typeof content === 'string' ? { kind: 'text', text: content } : content;
    return this.transport.deliver({ ...this.base(), kind: 'edit', ref, content: c });
  }

  remove(ref: MessageRef): Promise<void> {
    return this.transport.deliver({ ...this.base(), kind: 'delete', ref });
  }

  press(action: string, text?: string): Promise<void> {
    return this.transport.deliver({ ...this.base(), kind: 'button', action, ...(text !== undefined ? { text } : {}) });
  }

  leave(): Promise<void> {
    return this.transport.deliver({ ...this.base(), kind: 'left' });
  }

  received(): SentRecord[] {
    return this.transport.sentTo(this.ref.externalId);
  }

  texts(): string[] {
    return this.received().map((r) => textOf(r.outbound));
  }

  waitFor(predicate: (text: string, r: SentRecord) => boolean, timeoutMs = 5000): Promise<SentRecord> {
    return this.transport.waitForSend(
      (r) => r.to.externalId === this.ref.externalId && predicate(textOf(r.outbound), r),
      timeoutMs,
    );
  }
}
