import type { MessageContent, MessageRef, SessionId, UserId, UserRef, UserStatus } from './types.js';

/*
 * What the core needs from storage and from the matcher, as interfaces. src/db and
 * src/matcher implement them; main.ts wires the implementations in.
 */

export interface UserRecord {
  readonly id: UserId;
  readonly ref: UserRef;
  readonly handle: string;
  readonly status: UserStatus;
  readonly interests: readonly string[];
  readonly language: string | null;
  readonly lastSessionId: SessionId | null;
  readonly suspendedAt: Date | null;
}

export type EndReason = 'stop' | 'next' | 'idle' | 'unreachable' | 'banned' | 'data_deleted' | 'error';

export interface SessionRecord {
  readonly id: SessionId;
  readonly userAId: UserId;
  readonly userBId: UserId;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly endReason: EndReason | null;
  readonly endedById: UserId | null;
  readonly sharedInterests: readonly string[];
}

export interface HistoryEntry {
  readonly sessionId: SessionId;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly endReason: EndReason | null;
  readonly sentByMe: number;
  readonly sentByPartner: number;
  readonly myRating: number | null;
}

export interface NewSession {
  readonly id: SessionId;
  readonly userAId: UserId;
  readonly userBId: UserId;
  readonly startedAt: Date;
  readonly score: number;
  readonly sharedInterests: readonly string[];
  readonly waitedMsA: number;
  readonly waitedMsB: number;
}

export interface UserRepository {
  /** Finds or creates the user behind a platform ref. */
  resolve(ref: UserRef): Promise<UserRecord>;
  get(id: UserId): Promise<UserRecord | null>;
  setPreferences(id: UserId, prefs: { interests: readonly string[]; language: string | null }): Promise<void>;
  setStatus(id: UserId, status: UserStatus, lastSessionId?: SessionId): Promise<void>;
  /** Erases preferences, message content and feedback comments; keeps moderation records. */
  eraseData(id: UserId): Promise<void>;
}

export interface SessionRepository {
  create(session: NewSession): Promise<SessionRecord>;
  /** Ends a session once; returns null when it had already ended. */
  end(id: SessionId, reason: EndReason, endedById: UserId | null, at: Date): Promise<SessionRecord | null>;
  get(id: SessionId): Promise<SessionRecord | null>;
  activeFor(userId: UserId): Promise<SessionRecord | null>;
  history(userId: UserId, limit: number): Promise<HistoryEntry[]>;
}

export interface LoggedMessage {
  readonly id: string;
  readonly sessionId: SessionId;
  readonly senderId: UserId;
  readonly original: MessageRef;
  readonly copy: MessageRef | null;
}

export interface NewMessage {
  readonly sessionId: SessionId;
  readonly senderId: UserId;
  readonly content: MessageContent;
  readonly original: MessageRef;
  readonly albumId?: string;
  readonly at: Date;
}

export interface OwnMessage {
  readonly at: Date;
  readonly kind: string;
  readonly text: string | null;
}

/** A logged message whose copy never reached the partner (the process stopped first). */
export interface UndeliveredMessage extends LoggedMessage {
  readonly at: Date;
  readonly content: MessageContent;
  readonly albumId: string | null;
}

export interface MessageRepository {
  record(message: NewMessage): Promise<LoggedMessage>;
  /** Messages of live sessions logged since `since` that have no copy yet, oldest first. */
  undelivered(since: Date): Promise<UndeliveredMessage[]>;
  setCopy(id: string, copy: MessageRef): Promise<void>;
  /** Delivery was given up for these messages: they are not queued again after a restart. */
  markFailed(ids: readonly string[], at: Date): Promise<void>;
  byOriginal(sessionId: SessionId, original: MessageRef): Promise<LoggedMessage | null>;
  byCopy(sessionId: SessionId, copy: MessageRef): Promise<LoggedMessage | null>;
  markEdited(id: string, content: MessageContent, at: Date): Promise<void>;
  markDeleted(id: string, at: Date): Promise<void>;
  /** The sender's own retained messages of a session, oldest first. */
  ownMessages(sessionId: SessionId, userId: UserId): Promise<OwnMessage[]>;
  /** Removes content older than the cutoff; returns how many rows were purged. */
  purgeContentBefore(cutoff: Date): Promise<number>;
}

export type RateResult = 'saved' | 'already_rated';

export interface FeedbackRepository {
  rate(sessionId: SessionId, userId: UserId, rating: number): Promise<RateResult>;
  comment(sessionId: SessionId, userId: UserId, comment: string): Promise<boolean>;
  ratingOf(sessionId: SessionId, userId: UserId): Promise<number | null>;
}

export type ReportCategory = 'harassment' | 'spam' | 'sexual' | 'minor_safety' | 'other';

export interface NewReport {
  readonly sessionId: SessionId;
  readonly reporterId: UserId;
  readonly reportedId: UserId;
  readonly category: ReportCategory;
  readonly comment: string | null;
}

export interface ReportRepository {
  /**
   * Stores the report with a snapshot of the reported user's retained messages. One report per
   * person and chat: when the reporter already filed one, its id comes back with `created: false`.
   */
  create(report: NewReport): Promise<{ id: string; created: boolean }>;
  /** Appends the reporter's note to their own open report; false when it is not theirs or closed. */
  addComment(reportId: string, reporterId: UserId, comment: string): Promise<boolean>;
  /** Lets the reporter pick a closer category while their report is open. */
  setCategory(reportId: string, reporterId: UserId, category: ReportCategory): Promise<boolean>;
  /** Empties the snapshots of reports closed before the cutoff; returns how many. */
  purgeClosedSnapshotsBefore(cutoff: Date, at: Date): Promise<number>;
}

export interface ActiveBan {
  readonly until: Date | null;
  readonly reason: string;
}

export interface ModerationRepository {
  activeBan(userId: UserId): Promise<ActiveBan | null>;
  /** Users this one must never be matched with (blocked, reported, or who blocked/reported them). */
  avoidList(userId: UserId): Promise<UserId[]>;
  block(blockerId: UserId, blockedId: UserId): Promise<void>;
}
