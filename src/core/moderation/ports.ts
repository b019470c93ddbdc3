import type { ModAction } from '../actions.js';
import type { Outbound } from '../outbound.js';
import type { ReportCategory, SessionRecord, UserRecord } from '../ports.js';
import type { SessionId, UserId, UserRef } from '../types.js';

/*
 * What moderation needs from storage, the matcher and the job queue, and what it offers the
 * command handlers. src/db implements the stores, main/app.ts adapts the matcher and
 * src/jobs/ban-expiry.ts implements BanScheduler.
 */

export type ReportStatus = 'open' | 'dismissed' | 'actioned';
export type ReportFilter = 'open' | 'all';
export type FeedbackOrder = 'low' | 'recent';

export interface ReportListItem {
  readonly id: string;
  readonly category: ReportCategory;
  readonly status: ReportStatus;
  readonly createdAt: Date;
  readonly reportedHandle: string;
  /** Reports against the same user filed before this one. */
  readonly priorReports: number;
}

/** One message of the reported person, as kept in the report's snapshot. */
export interface SnapshotMessage {
  readonly at: Date;
  readonly kind: string;
  readonly text: string | null;
}

export interface ReportDetail {
  readonly id: string;
  readonly category: ReportCategory;
  readonly status: ReportStatus;
  readonly comment: string | null;
  readonly createdAt: Date;
  readonly sessionId: SessionId;
  readonly reporterHandle: string;
  readonly reportedId: UserId;
  readonly reportedHandle: string;
  /** Only the reported person's messages: the reporter's words are not evidence. */
  readonly snapshot: readonly SnapshotMessage[];
  /** When retention emptied the snapshot of this closed report. */
  readonly snapshotPurgedAt: Date | null;
  readonly resolution: string | null;
  readonly resolvedAt: Date | null;
  readonly resolvedByHandle: string | null;
}

export interface BanRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly reason: string;
  /** Null for automatic bans. */
  readonly moderatorHandle: string | null;
  readonly startsAt: Date;
  /** Null: permanent. */
  readonly until: Date | null;
  readonly liftedAt: Date | null;
  readonly liftedByHandle: string | null;
}

export interface NewBan {
  readonly userId: UserId;
  readonly moderatorId: UserId | null;
  readonly reason: string;
  readonly startsAt: Date;
  readonly until: Date | null;
}

export type ModeratorActionKind = 'ban' | 'unban' | 'warn' | 'dismiss' | 'suspend' | 'unsuspend';

export interface NewModeratorAction {
  /** Null when the system acted (auto-suspension). */
  readonly moderatorId: UserId | null;
  readonly action: ModeratorActionKind;
  readonly targetUserId: UserId | null;
  readonly reportId: string | null;
  readonly reason: string | null;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface ActionRecord {
  readonly at: Date;
  readonly action: string;
  readonly moderatorHandle: string | null;
  readonly reason: string | null;
  readonly reportId: string | null;
}

/** Reports, bans, suspensions and the audit log: the moderator-side storage. */
export interface ModerationStore {
  userIdByHandle(handle: string): Promise<UserId | null>;
  handleOf(userId: UserId): Promise<string | null>;

  /** Newest first. */
  listReports(filter: ReportFilter, offset: number, limit: number): Promise<{ items: ReportListItem[]; total: number }>;
  /** Report ids matching a full id or an 8-hex short id: none, one, or (ambiguous) two. */
  findReportIds(ref: { readonly full: string } | { readonly short: string }): Promise<string[]>;
  report(id: string): Promise<ReportDetail | null>;
  /** Reports against a user, newest first. */
  reportsAgainst(userId: UserId, limit: number): Promise<ReportListItem[]>;
  openReportsAgainst(userId: UserId): Promise<number>;
  /** Different people with an open report against the user filed since `since`. */
  recentReporters(userId: UserId, since: Date): Promise<number>;
  /** Closes one open report; false when it was not open. */
  resolveReport(id: string, status: Exclude<ReportStatus, 'open'>, resolution: string, by: UserId | null, at: Date): Promise<boolean>;
  /** Closes every open report against a user as actioned; returns how many. */
  resolveOpenReportsAgainst(userId: UserId, resolution: string, by: UserId | null, at: Date): Promise<number>;

  createBan(ban: NewBan): Promise<BanRecord>;
  ban(id: string): Promise<BanRecord | null>;
  /** A user's bans, newest first. */
  bans(userId: UserId, limit: number): Promise<BanRecord[]>;
  /** Bans in force at `now` (to restore matcher exclusions and expiry jobs after a restart). */
  activeBans(now: Date): Promise<BanRecord[]>;
  /** Lifts the user's bans in force at `at`; returns how many. */
  liftBans(userId: UserId, by: UserId, at: Date): Promise<number>;

  /** Sets suspendedAt unless already set; true when this call suspended the user. */
  suspend(userId: UserId, at: Date): Promise<boolean>;
  /** Clears suspendedAt; true when the user was suspended. */
  unsuspend(userId: UserId): Promise<boolean>;
  suspendedUsers(): Promise<UserId[]>;

  recordAction(action: NewModeratorAction): Promise<void>;
  /** Actions whose target is the user, newest first. */
  actionsAgainst(userId: UserId, limit: number): Promise<ActionRecord[]>;
}

export interface FeedbackItem {
  readonly at: Date;
  readonly rating: number;
  readonly comment: string | null;
  readonly sessionId: SessionId;
  readonly raterHandle: string;
  readonly ratedHandle: string;
}

export interface DailyRating {
  /** UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly average: number | null;
  readonly count: number;
}

export interface UserFigures {
  readonly createdAt: Date;
  readonly sessions: number;
  readonly ratingsReceived: number;
  readonly averageReceived: number | null;
  readonly reportsAgainst: number;
  readonly openReportsAgainst: number;
  readonly reportsMade: number;
}

export interface ServiceStats {
  readonly searching: number;
  readonly chatting: number;
  /** Sessions started since 00:00 UTC. */
  readonly matchesToday: number;
  /** Sessions that were live at some point since 00:00 UTC (started today, or ended today, or still on). */
  readonly sessionsToday: number;
  /** Both sides' waits of sessions started in the last hour. */
  readonly timeToMatch: { readonly samples: number; readonly medianMs: number | null; readonly p95Ms: number | null };
  readonly ratingToday: { readonly count: number; readonly average: number | null };
  readonly rating7d: { readonly count: number; readonly average: number | null };
  readonly openReports: number;
  readonly suspended: number;
}

/** Read-only figures for moderators: feedback, a user's record, service stats. */
export interface ModerationInsights {
  /** low: lowest first (newest first within a rating) since `since`; recent: newest first. */
  feedback(order: FeedbackOrder, since: Date | null, offset: number, limit: number): Promise<{ items: FeedbackItem[]; total: number }>;
  /** One entry per UTC day from the day of `from` for `days` days, oldest first. */
  dailyRatings(from: Date, days: number): Promise<DailyRating[]>;
  userFigures(userId: UserId): Promise<UserFigures | null>;
  stats(now: Date): Promise<ServiceStats>;
}

/**
 * The matcher's ban list (Redis), kept in step with Postgres: Postgres decides, this only
 * makes sure a banned or suspended user is never paired, even mid-window.
 */
export interface MatchExclusion {
  /** Keeps the user out of matching until `until` (null: until lifted); true when a waiting search was dropped. */
  exclude(userId: UserId, until: Date | null): Promise<boolean>;
  lift(userId: UserId): Promise<void>;
}

/** Runs ModerationService.expireBan when a temporary ban ends (BullMQ delayed job). */
export interface BanScheduler {
  schedule(banId: string, at: Date): Promise<void>;
}

/** Who is a moderator. Asked on every moderator command and button press. */
export interface ModeratorDirectory {
  isModerator(ref: UserRef): Promise<boolean>;
  /** Moderators that can be addressed directly (the configured list), for notifications. */
  notifiable(): readonly UserRef[];
}

/** Optional transport capability: the platform itself knows moderators (Discord role). */
export interface ModeratorSource {
  isModerator(ref: UserRef): Promise<boolean>;
}

export const isModeratorSource = (t: object): t is ModeratorSource =>
  typeof (t as Partial<ModeratorSource>).isModerator === 'function';

export interface FiledReport {
  readonly id: string;
  /** The reporter had already reported this chat; nothing new was stored. */
  readonly duplicate: boolean;
}

/** Files a user's report: snapshot, block, and the automatic safety net. */
export interface ReportIntake {
  file(reporter: UserRecord, session: SessionRecord, category: ReportCategory, comment: string | null): Promise<FiledReport>;
}

/** The /mod command and the moderator buttons, behind the moderator check. */
export interface ModeratorTools {
  isModerator(user: UserRecord): Promise<boolean>;
  run(moderator: UserRecord, args: string): Promise<Outbound[]>;
  press(moderator: UserRecord, action: ModAction): Promise<Outbound[]>;
}
