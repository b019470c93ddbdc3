import type { Outbox } from './delivery.js';
import type { Log } from './log.js';
import { notice } from './outbound.js';
import type { SessionControl } from './pairing.js';
import type { UserRepository } from './ports.js';
import type { Transport } from './transport.js';
import type { Platform, SessionId, UserRef, UserStatus } from './types.js';

/*
 * Presence: what a transport that holds live connections (the web page) learns about a
 * person and the core acts on. The core tells the partner; the transport learns whether
 * the person is searching or chatting, which only the core knows.
 *
 *   away  - the connection dropped and is held for a grace period (partner is told)
 *   back  - the person returned after `away` (partner is told)
 *   check - no side effect; just the current state (a page reload, a new notice)
 *   typing - the person is typing (partner's transport shows it, when it can)
 */
export type PresenceEvent = 'away' | 'back' | 'check' | 'typing';

export interface PresenceState {
  readonly status: UserStatus;
  /** The live chat when status is 'chatting', else null. */
  readonly sessionId: SessionId | null;
}

export type PresenceHandler = (ref: UserRef, event: PresenceEvent) => Promise<PresenceState>;

/** Optional transport capability: it reports presence (registered next to onInbound). */
export interface PresenceSource {
  onPresence(handler: PresenceHandler): void;
}

/** Optional transport capability: it can show "the stranger is typing…" to a recipient. */
export interface TypingSink {
  showTyping(to: UserRef): Promise<void>;
}

export const isPresenceSource = (t: object): t is PresenceSource =>
  typeof (t as Partial<PresenceSource>).onPresence === 'function';

export const isTypingSink = (t: object): t is TypingSink => typeof (t as Partial<TypingSink>).showTyping === 'function';

export const PARTNER_AWAY = "The stranger's connection dropped… waiting a moment for them to come back.";
export const PARTNER_BACK = 'The stranger is back.';

/** Answers presence events from transports; tells the partner of a live chat. */
export class PresenceService {
  constructor(
    private readonly deps: {
      readonly users: UserRepository;
      readonly sessionControl: SessionControl;
      readonly outbox: Outbox;
      readonly transports: ReadonlyMap<Platform, Transport>;
      readonly log: Log;
    },
  ) {}

  /** Bound so transports can be given it directly. */
  readonly handle: PresenceHandler = async (ref, event) => {
    const user = await this.deps.users.resolve(ref);
    const live = await this.deps.sessionControl.current(user.id);
    if (!live) return { status: user.status === 'searching' ? 'searching' : 'offline', sessionId: null };
    if (event !== 'check') {
      const partner = await this.deps.users.get(live.partnerId);
      if (partner && event === 'typing') {
        const transport = this.deps.transports.get(partner.ref.platform);
        if (transport && isTypingSink(transport)) {
          await transport.showTyping(partner.ref).catch((err: unknown) => this.deps.log.debug({ err }, 'typing signal failed'));
        }
      } else if (partner) {
        await this.deps.outbox.send(partner.ref, [notice(event === 'away' ? PARTNER_AWAY : PARTNER_BACK)]);
      }
    }
    return { status: 'chatting', sessionId: live.sessionId };
  };
}
