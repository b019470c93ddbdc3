import type { Outbox } from '../delivery.js';
import { UserError } from '../errors.js';
import type { Log } from '../log.js';
import { notice } from '../outbound.js';
import type { SessionControl } from '../pairing.js';
import type {
  ModerationRepository,
  ReportCategory,
  ReportRepository,
  SessionRecord,
  UserRecord,
  UserRepository,
} from '../ports.js';
import type { UserId } from '../types.js';
import { banLength, shortReportId } from './args.js';
import type {
  BanRecord,
  BanScheduler,
  FiledReport,
  MatchExclusion,
  ModerationStore,
  ModeratorDirectory,
  ReportIntake,
} from './ports.js';
import * as mt from './texts.js';

export const SUSPEND_REPORTERS = 3;
export const SUSPEND_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ModerationServiceDeps {
  readonly users: UserRepository;
  readonly reports: ReportRepository;
  readonly moderation: ModerationRepository;
  readonly store: ModerationStore;
  readonly exclusion: MatchExclusion;
  readonly sessionControl: SessionControl;
  readonly outbox: Outbox;
  readonly directory: ModeratorDirectory;
  readonly scheduler: BanScheduler;
  readonly now: () => Date;
  readonly log: Log;
  /** Different reporters within the window that suspend a user (default 3 in 24 h). */
  readonly suspendReporters?: number;
  readonly suspendWindowMs?: number;
}

export interface BanInput {
  readonly moderator: UserRecord;
  readonly target: UserRecord;
  /** Null: permanent. */
  readonly durationMs: number | null;
  readonly reason: string;
  /** The report the ban was decided on, for the audit log. */
  readonly reportId?: string;
}

/**
 * The moderation actions and their side effects, shared by the /mod commands, the moderator
 * buttons, the report flow and the ban-expiry job. Postgres is the truth about bans and
 * suspensions; the matcher's exclusion list is kept in step after every change.
 */
export class ModerationService implements ReportIntake {
  constructor(private readonly d: ModerationServiceDeps) {}

  // ---- reports from users ------------------------------------------------------------------

  async file(reporter: UserRecord, session: SessionRecord, category: ReportCategory, comment: string | null): Promise<FiledReport> {
    const reportedId = session.userAId === reporter.id ? session.userBId : session.userAId;
    const created = await this.d.reports.create({ sessionId: session.id, reporterId: reporter.id, reportedId, category, comment });
    // The reporter never meets this person again: the block feeds the matcher's avoid set.
    await this.d.moderation.block(reporter.id, reportedId);
    if (!created.created) return { id: created.id, duplicate: true };
    this.d.log.info({ reportId: created.id, category, sessionId: session.id }, 'report filed');
    try {
      await this.afterReport(reportedId, created.id, category);
    } catch (err) {
      // The report is stored; the safety net must not turn it into an error for the reporter.
      this.d.log.error({ err, reportId: created.id }, 'post-report checks failed');
    }
    return { id: created.id, duplicate: false };
  }

  /** The automatic safety net: enough different reporters in the window suspend the user. */
  private async afterReport(reportedId: UserId, reportId: string, category: ReportCategory): Promise<void> {
    const now = this.d.now();
    const handle = (await this.d.store.handleOf(reportedId)) ?? 'unknown user';
    if (category === 'minor_safety') await this.notifyModerators(mt.urgentReport(shortReportId(reportId), handle));
    const windowMs = this.d.suspendWindowMs ?? SUSPEND_WINDOW_MS;
    const reporters = await this.d.store.recentReporters(reportedId, new Date(now.getTime() - windowMs));
    if (reporters < (this.d.suspendReporters ?? SUSPEND_REPORTERS)) return;
    // The conditional update makes concurrent reports suspend (and notify) exactly once.
    if (!(await this.d.store.suspend(reportedId, now))) return;
    await this.d.store.recordAction({
      moderatorId: null,
      action: 'suspend',
      targetUserId: reportedId,
      reportId,
      reason: `reported by ${reporters} people within 24 h`,
      details: { reporters },
    });
    const searchDropped = await this.syncExclusion(reportedId);
    const user = await this.d.users.get(reportedId);
    if (user && (searchDropped || user.status === 'searching')) {
      await this.d.users.setStatus(reportedId, 'offline');
      await this.d.outbox.send(user.ref, [notice(mt.SUSPENDED_WHILE_SEARCHING)]);
    }
    this.d.log.warn({ userId: reportedId, reporters }, 'user suspended automatically');
    await this.notifyModerators(mt.autoSuspended(handle, reporters));
  }

  private async notifyModerators(text: string): Promise<void> {
    for (const ref of this.d.directory.notifiable()) await this.d.outbox.send(ref, [notice(text)]);
  }

  // ---- moderator actions -----------------------------------------------------------------

  async ban(input: BanInput): Promise<{ ban: BanRecord; closedReports: number }> {
    const { moderator, target, durationMs, reason } = input;
    if (moderator.id === target.id) throw new UserError('bad_arguments', mt.NOT_YOURSELF);
    const now = this.d.now();
    const until = durationMs === null ? null : new Date(now.getTime() + durationMs);
    const ban = await this.d.store.createBan({ userId: target.id, moderatorId: moderator.id, reason, startsAt: now, until });
    await this.d.store.recordAction({
      moderatorId: moderator.id,
      action: 'ban',
      targetUserId: target.id,
      reportId: input.reportId ?? null,
      reason,
      details: { banId: ban.id, until: until?.toISOString() ?? null },
    });
    // A ban answers every open report about this person, and ends a pending suspension.
    const closedReports = await this.d.store.resolveOpenReportsAgainst(target.id, `banned ${banLength(durationMs)}`, moderator.id, now);
    await this.d.store.unsuspend(target.id);
    const searchDropped = await this.syncExclusion(target.id);
    if (until) await this.d.scheduler.schedule(ban.id, until);

    const live = await this.d.sessionControl.current(target.id);
    // The partner gets the ordinary "chat has ended" notice; nobody learns why.
    if (live) await this.d.sessionControl.end(live.sessionId, 'banned', null);
    else if (searchDropped || target.status === 'searching') await this.d.users.setStatus(target.id, 'offline');
    await this.d.outbox.send(target.ref, [notice(mt.bannedNotice(until, reason))]);
    this.d.log.info({ userId: target.id, banId: ban.id, until: until?.toISOString() ?? null, moderatorId: moderator.id }, 'user banned');
    return { ban, closedReports };
  }

  async unban(moderator: UserRecord, target: UserRecord, reason: string | null): Promise<{ lifted: number; unsuspended: boolean }> {
    const now = this.d.now();
    const lifted = await this.d.store.liftBans(target.id, moderator.id, now);
    const unsuspended = await this.d.store.unsuspend(target.id);
    if (lifted === 0 && !unsuspended) throw new UserError('not_found', mt.nothingToUnban(target.handle));
    await this.d.store.recordAction({
      moderatorId: moderator.id,
      action: 'unban',
      targetUserId: target.id,
      reportId: null,
      reason,
      details: { bansLifted: lifted, suspensionLifted: unsuspended },
    });
    await this.syncExclusion(target.id);
    await this.d.outbox.send(target.ref, [notice(lifted > 0 ? mt.BAN_LIFTED : mt.SUSPENSION_LIFTED)]);
    this.d.log.info({ userId: target.id, lifted, unsuspended, moderatorId: moderator.id }, 'user unbanned');
    return { lifted, unsuspended };
  }

  /** Sends the user the text; with a report, that report is closed as actioned. */
  async warn(moderator: UserRecord, target: UserRecord, text: string, reportId?: string): Promise<{ stillSuspended: number }> {
    if (moderator.id === target.id) throw new UserError('bad_arguments', mt.NOT_YOURSELF);
    const now = this.d.now();
    if (reportId !== undefined) await this.closeReport(reportId, 'actioned', 'warned', moderator, now);
    await this.d.store.recordAction({ moderatorId: moderator.id, action: 'warn', targetUserId: target.id, reportId: reportId ?? null, reason: text });
    await this.d.outbox.send(target.ref, [notice(mt.warning(text))]);
    this.d.log.info({ userId: target.id, moderatorId: moderator.id, reportId }, 'user warned');
    return { stillSuspended: await this.reviewSuspension(moderator, target.id, reportId) };
  }

  async dismiss(moderator: UserRecord, reportId: string, reportedId: UserId): Promise<{ stillSuspended: number }> {
    const now = this.d.now();
    await this.closeReport(reportId, 'dismissed', 'dismissed', moderator, now);
    await this.d.store.recordAction({ moderatorId: moderator.id, action: 'dismiss', targetUserId: reportedId, reportId, reason: null });
    this.d.log.info({ reportId, moderatorId: moderator.id }, 'report dismissed');
    return { stillSuspended: await this.reviewSuspension(moderator, reportedId, reportId) };
  }

  private async closeReport(reportId: string, status: 'dismissed' | 'actioned', resolution: string, moderator: UserRecord, at: Date): Promise<void> {
    if (!(await this.d.store.resolveReport(reportId, status, resolution, moderator.id, at))) {
      const current = await this.d.store.report(reportId);
      throw new UserError('not_found', mt.reportNotOpen(shortReportId(reportId), current?.status ?? 'gone', current?.resolution ?? null));
    }
  }

  /**
   * An automatic suspension lasts until a moderator has looked at the reports behind it:
   * once none is open, it ends. Returns the open reports still holding it (0 when not suspended).
   */
  private async reviewSuspension(moderator: UserRecord, userId: UserId, reportId: string | undefined): Promise<number> {
    const user = await this.d.users.get(userId);
    if (!user?.suspendedAt) return 0;
    const open = await this.d.store.openReportsAgainst(userId);
    if (open > 0) return open;
    if (!(await this.d.store.unsuspend(userId))) return 0;
    await this.d.store.recordAction({
      moderatorId: moderator.id,
      action: 'unsuspend',
      targetUserId: userId,
      reportId: reportId ?? null,
      reason: 'all reports reviewed',
    });
    await this.syncExclusion(userId);
    await this.d.outbox.send(user.ref, [notice(mt.SUSPENSION_LIFTED)]);
    return 0;
  }

  // ---- expiry and restore ----------------------------------------------------------------

  /**
   * Called by the ban-expiry job when a temporary ban should have ended. The Postgres ban
   * stops counting on its own; this lifts the matcher exclusion (unless another ban or a
   * suspension still holds) and tells the user. Returns a later time when the ban was
   * extended or the job ran early, so the job can come back then.
   */
  async expireBan(banId: string): Promise<{ readonly retryAt: Date } | null> {
    const ban = await this.d.store.ban(banId);
    if (!ban || ban.liftedAt || !ban.until) return null;
    if (ban.until.getTime() > this.d.now().getTime()) return { retryAt: ban.until };
    await this.syncExclusion(ban.userId);
    if (await this.d.moderation.activeBan(ban.userId)) return null;
    const user = await this.d.users.get(ban.userId);
    if (user) await this.d.outbox.send(user.ref, [notice(user.suspendedAt ? mt.BAN_ENDED_STILL_SUSPENDED : mt.BAN_ENDED)]);
    this.d.log.info({ userId: ban.userId, banId }, 'ban expired');
    return null;
  }

  /**
   * After a start (Redis may have lost everything): re-applies the matcher exclusions of
   * bans and suspensions in force and re-arms the expiry of temporary bans.
   */
  async restore(): Promise<{ bans: number; suspended: number }> {
    const now = this.d.now();
    const bans = await this.d.store.activeBans(now);
    const suspended = await this.d.store.suspendedUsers();
    for (const userId of new Set([...bans.map((b) => b.userId), ...suspended])) await this.syncExclusion(userId);
    for (const ban of bans) if (ban.until) await this.d.scheduler.schedule(ban.id, ban.until);
    return { bans: bans.length, suspended: suspended.length };
  }

  /** Makes the matcher's exclusion match Postgres; true when a waiting search was dropped. */
  async syncExclusion(userId: UserId): Promise<boolean> {
    const [ban, user] = await Promise.all([this.d.moderation.activeBan(userId), this.d.users.get(userId)]);
    if (ban) return this.d.exclusion.exclude(userId, ban.until);
    if (user?.suspendedAt) return this.d.exclusion.exclude(userId, null);
    await this.d.exclusion.lift(userId);
    return false;
  }
}
