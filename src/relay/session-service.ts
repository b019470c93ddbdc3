import {
  chatButtons,
  idleButtons,
  notice,
  ratingPrompt,
  texts,
  type EndReason,
  type LivePair,
  type Log,
  type MatchedPair,
  type MatchingPort,
  type Outbox,
  type PairSink,
  type SessionControl,
  type SessionId,
  type SessionRepository,
  type UserId,
  type UserRecord,
  type UserRepository,
} from '../core/index.js';

/** Told when a chat starts, is active and ends, so idle timeouts can be armed (src/jobs). */
export interface ActivityTracker {
  started(sessionId: SessionId): Promise<void>;
  touched(sessionId: SessionId): Promise<void>;
  ended(sessionId: SessionId): Promise<void>;
}

export const noActivityTracking: ActivityTracker = {
  started: () => Promise.resolve(),
  touched: () => Promise.resolve(),
  ended: () => Promise.resolve(),
};

/**
 * Owns a chat's life: creates the Session row when the matcher pairs two people, keeps
 * the live pair map honest (rebuilding it from Postgres when Redis lost it), and ends
 * sessions exactly once with the right notice to each side.
 */
export class SessionService implements PairSink, SessionControl {
  private readonly refCache = new Map<UserId, UserRecord>();

  constructor(
    private readonly deps: {
      readonly users: UserRepository;
      readonly sessions: SessionRepository;
      readonly matching: MatchingPort;
      readonly outbox: Outbox;
      readonly activity: ActivityTracker;
      readonly log: Log;
      readonly now: () => Date;
    },
  ) {}

  async onPair(pair: MatchedPair): Promise<void> {
    const { users, sessions, outbox, log } = this.deps;
    try {
      await sessions.create({
        id: pair.sessionId,
        userAId: pair.userA,
        userBId: pair.userB,
        startedAt: this.deps.now(),
        score: pair.score,
        sharedInterests: pair.sharedInterests,
        waitedMsA: pair.waitedMsA,
        waitedMsB: pair.waitedMsB,
      });
    } catch (err) {
      // Without a Session row the relay could not rebuild this pair later; undo it.
      log.error({ err, sessionId: pair.sessionId }, 'could not store new session; unpairing');
      await this.deps.matching.endPair(pair.sessionId, pair.userA, pair.userB);
      throw err;
    }
    await Promise.all([
      users.setStatus(pair.userA, 'chatting', pair.sessionId),
      users.setStatus(pair.userB, 'chatting', pair.sessionId),
    ]);
    await this.deps.activity.started(pair.sessionId);
    log.info({ sessionId: pair.sessionId, score: pair.score, waitedMsA: pair.waitedMsA, waitedMsB: pair.waitedMsB }, 'session started');
    const hello = notice(texts.connected(pair.sharedInterests), { buttons: chatButtons() });
    for (const id of [pair.userA, pair.userB]) {
      const user = await this.user(id);
      if (user) await outbox.send(user.ref, [hello]);
    }
  }

  async onSearchTimeout(userId: UserId): Promise<void> {
    await this.deps.users.setStatus(userId, 'offline');
    const user = await this.user(userId);
    if (user) await this.deps.outbox.send(user.ref, [notice(texts.SEARCH_TIMED_OUT, { buttons: idleButtons() })]);
  }

  async current(userId: UserId): Promise<LivePair | null> {
    const live = await this.deps.matching.partnerOf(userId);
    if (live) return live;
    const session = await this.deps.sessions.activeFor(userId);
    if (!session) return null;
    // Redis lost the pair map (restart with an empty Redis): Postgres still knows the chat.
    await this.deps.matching.restorePair(session.id, session.userAId, session.userBId);
    await this.deps.activity.started(session.id);
    this.deps.log.warn({ sessionId: session.id }, 'live pair rebuilt from Postgres');
    return { sessionId: session.id, partnerId: session.userAId === userId ? session.userBId : session.userAId };
  }

  async end(sessionId: SessionId, reason: EndReason, endedBy: UserId | null): Promise<void> {
    const { sessions, matching, users, outbox, log } = this.deps;
    const ended = await sessions.end(sessionId, reason, endedBy, this.deps.now());
    if (!ended) return; // someone else ended it first
    await matching.endPair(sessionId, ended.userAId, ended.userBId);
    await Promise.all([users.setStatus(ended.userAId, 'offline'), users.setStatus(ended.userBId, 'offline')]);
    await this.deps.activity.ended(sessionId);
    log.info({ sessionId, reason }, 'session ended');
    for (const id of [ended.userAId, ended.userBId]) {
      const mine = id === endedBy;
      // The unreachable side cannot be told anything; the one erasing their data wants no prompt.
      if (mine && (reason === 'unreachable' || reason === 'data_deleted')) continue;
      const user = await this.user(id);
      if (!user) continue;
      await outbox.send(user.ref, [notice(texts.endNotice(reason, mine)), ratingPrompt(sessionId)]);
    }
  }

  /** Platform refs never change, so they are cached for the hot relay path. */
  async user(id: UserId): Promise<UserRecord | null> {
    const cached = this.refCache.get(id);
    if (cached) return cached;
    const user = await this.deps.users.get(id);
    if (user) {
      if (this.refCache.size > 50_000) this.refCache.clear();
      this.refCache.set(id, user);
    }
    return user;
  }
}
