import type { Platform, SessionId, UserId } from './types.js';
import type { EndReason } from './ports.js';

/*
 * The session side's view of the matcher: what /find, /stop and the relay need, and
 * what the matcher reports back. src/matcher implements MatchingPort; the session
 * service implements PairSink.
 */

export interface SearchRequest {
  readonly userId: UserId;
  readonly platform: Platform;
  readonly interests: readonly string[];
  readonly language: string | null;
  /** Users never to be paired with (blocks and reports both ways). */
  readonly avoid: readonly UserId[];
}

export type SearchResult = 'queued' | 'already_searching' | 'already_chatting';

export interface LivePair {
  readonly partnerId: UserId;
  readonly sessionId: SessionId;
}

export interface MatchingPort {
  search(request: SearchRequest): Promise<SearchResult>;
  /** Leaves the pool; false when the user was not searching. */
  cancelSearch(userId: UserId): Promise<boolean>;
  /** The live pair map: read on every relayed message. */
  partnerOf(userId: UserId): Promise<LivePair | null>;
  /** Writes a pair back after Redis lost it, from what Postgres knows. */
  restorePair(sessionId: SessionId, userAId: UserId, userBId: UserId): Promise<void>;
  /** Clears the pair if it is still this session; both users become offline. */
  endPair(sessionId: SessionId, userAId: UserId, userBId: UserId): Promise<void>;
  /** Keeps a user out of matching (ban, suspension) and drops any waiting ticket. */
  exclude(userId: UserId): Promise<void>;
}

export interface MatchedPair {
  readonly sessionId: SessionId;
  readonly userA: UserId;
  readonly userB: UserId;
  readonly score: number;
  readonly waitedMsA: number;
  readonly waitedMsB: number;
  readonly sharedInterests: readonly string[];
}

export interface PairSink {
  onPair(pair: MatchedPair): Promise<void>;
  onSearchTimeout(userId: UserId): Promise<void>;
}

/** Ends sessions and answers "who is this user talking to"; implemented by the session service. */
export interface SessionControl {
  /** Ends the session once: stores the reason, frees both users, tells both, offers a rating. */
  end(sessionId: SessionId, reason: EndReason, endedBy: UserId | null): Promise<void>;
  /** The user's live pair; rebuilds the Redis pair map from Postgres when Redis lost it. */
  current(userId: UserId): Promise<LivePair | null>;
}
