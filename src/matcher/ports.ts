/**
 * The matcher's ports. The session side's view of the matcher lives in src/core/pairing.ts
 * (MatchingPort, which Matchmaker implements, and PairSink, which the session service
 * implements), because src/relay and src/core may not import src/matcher. The matcher's
 * own, richer API types are here.
 */
import type { LivePair, MatchingPort } from '../core/pairing.js';
import type { Platform, SessionId, UserId, UserStatus } from '../core/types.js';

export type { LivePair, MatchedPair, MatchingPort, PairSink, SearchRequest, SearchResult } from '../core/pairing.js';

/** What /find hands to the matcher (core's SearchRequest fits). Normalized by the matcher. */
export interface FindRequest {
  readonly userId: UserId;
  readonly platform: Platform;
  /** 0–10 short tags; normalized (lowercase, trimmed, deduplicated). */
  readonly interests?: readonly string[];
  /** Optional language code ("en", "pt-br"). */
  readonly language?: string | null;
  /** Users this person blocked or reported (from Postgres). Recent partners are added by the matcher. */
  readonly avoid?: readonly UserId[];
}

export type EnqueueResult =
  | { readonly status: 'queued'; readonly enqueuedAt: number }
  | { readonly status: 'already_searching' }
  | { readonly status: 'already_chatting' }
  | { readonly status: 'banned' };

export type CancelResult = 'cancelled' | 'not_searching' | 'chatting';

export type PartnerInfo = LivePair;

/** The matcher's API for callers inside the composition root, tests and benchmarks. */
export interface Matchmaking extends MatchingPort {
  enqueue(request: FindRequest): Promise<EnqueueResult>;
  cancel(userId: UserId): Promise<CancelResult>;
  state(userId: UserId): Promise<UserStatus>;
  getPartner(userId: UserId): Promise<PartnerInfo | null>;
  /** Sets both users offline, each only if still in `sessionId` (MatchingPort's argument order). */
  endPair(sessionId: SessionId, userA: UserId, userB: UserId): Promise<void>;
}
