import type { Buttons } from './buttons.js';
import type { Commands } from './commands.js';
import type { Outbox, RelayPort, UpdateLedger } from './delivery.js';
import { isUserError } from './errors.js';
import type { Inbound } from './inbound.js';
import { KeyedQueue } from './keyed-queue.js';
import { notice, type Outbound } from './outbound.js';
import type { UserRecord } from './ports.js';
import type { CoreServices } from './services.js';

const OOPS = 'Sorry, something went wrong on our side. Please try again in a moment.';

/**
 * The single entry for every platform update: drops duplicates, serializes each person's
 * updates, routes commands, buttons and chat messages, and turns expected failures
 * (UserError) into a friendly reply.
 */
export class InboundRouter {
  private readonly perUser = new KeyedQueue();

  constructor(
    private readonly s: CoreServices,
    private readonly deps: {
      readonly commands: Commands;
      readonly buttons: Buttons;
      readonly relay: RelayPort;
      readonly outbox: Outbox;
      readonly ledger: UpdateLedger;
    },
  ) {}

  /** Bound so adapters can pass it straight to Transport.onInbound. */
  readonly handle = (inbound: Inbound): Promise<void> =>
    this.perUser.run(`${inbound.userRef.platform}:${inbound.userRef.externalId}`, () => this.process(inbound));

  idle(): Promise<void> {
    return this.perUser.idle();
  }

  private async process(inbound: Inbound): Promise<void> {
    const key = `${inbound.userRef.platform}:${inbound.updateId}`;
    if (!(await this.deps.ledger.firstSeen(key))) {
      this.s.log.debug({ platform: inbound.userRef.platform, kind: inbound.kind }, 'duplicate update ignored');
      return;
    }
    let user: UserRecord | undefined;
    let replies: Outbound[];
    try {
      user = await this.s.users.resolve(inbound.userRef);
      replies = await this.route(user, inbound);
    } catch (err) {
      if (isUserError(err)) {
        replies = [notice(err.message)];
      } else {
        // Let a redelivery of this update try again; the person gets an apology now.
        await this.deps.ledger.forget(key).catch(() => undefined);
        this.s.log.error({ err, kind: inbound.kind, platform: inbound.userRef.platform, userId: user?.id }, 'inbound handling failed');
        replies = inbound.kind === 'left' ? [] : [notice(OOPS)];
      }
    }
    if (replies.length > 0) await this.deps.outbox.send(inbound.userRef, replies);
  }

  private async route(user: UserRecord, inbound: Inbound): Promise<Outbound[]> {
    switch (inbound.kind) {
      case 'command':
        return this.deps.commands.run(user, inbound.name.toLowerCase(), inbound.args);
      case 'button':
        return this.deps.buttons.press(user, inbound.action, inbound.text);
      case 'message':
      case 'album':
      case 'edit':
      case 'delete':
        await this.deps.relay.handle(user, inbound);
        return [];
      case 'left': {
        const live = await this.s.sessionControl.current(user.id);
        if (live) await this.s.sessionControl.end(live.sessionId, 'unreachable', user.id);
        await this.s.matching.cancelSearch(user.id);
        await this.s.users.setStatus(user.id, 'offline');
        return [];
      }
    }
  }
}
