import { encodeAction, REPORT_CATEGORIES, type ModAction, type ModBanDuration } from '../actions.js';
import { UserError } from '../errors.js';
import type { Log } from '../log.js';
import { notice, type ButtonRow, type Outbound } from '../outbound.js';
import type { ActiveBan, ModerationRepository, ReportCategory, UserRecord, UserRepository } from '../ports.js';
import {
  formatAge,
  formatSeconds,
  formatTime,
  parseDuration,
  parseHandle,
  parsePage,
  parseReportRef,
  shortReportId,
  words,
} from './args.js';
import type {
  BanRecord,
  FeedbackOrder,
  ModerationInsights,
  ModerationStore,
  ModeratorDirectory,
  ModeratorTools,
  ReportDetail,
  ReportFilter,
  ReportListItem,
} from './ports.js';
import type { ModerationService } from './service.js';
import * as mt from './texts.js';

const PAGE_SIZE = 10;
/** Below Telegram's 4096-character message limit; Discord splits at 2000 itself. */
const MAX_NOTICE_CHARS = 3500;
const MAX_LINE_CHARS = 500;
const MAX_TRANSCRIPT_LINES = 300;
const MAX_WARNING_CHARS = 1000;
const MAX_REASON_CHARS = 500;
const DAY_MS = 86_400_000;

const BAN_BUTTON_MS: Readonly<Record<ModBanDuration, number | null>> = { '24h': DAY_MS, '7d': 7 * DAY_MS, perm: null };

const categoryLabel = (c: ReportCategory): string => REPORT_CATEGORIES.find((x) => x.category === c)?.label ?? c;

const clip = (s: string, max = MAX_LINE_CHARS): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Long views become several notices (a transcript can be long); buttons go on the last. */
export function toNotices(lines: readonly string[], buttons?: readonly ButtonRow[]): Outbound[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + 1 + line.length > MAX_NOTICE_CHARS) {
      chunks.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '' || chunks.length === 0) chunks.push(current);
  return chunks.map((text, i) => (i === chunks.length - 1 && buttons && buttons.length > 0 ? notice(text, { buttons }) : notice(text)));
}

export interface ModeratorDeskDeps {
  readonly directory: ModeratorDirectory;
  readonly store: ModerationStore;
  readonly insights: ModerationInsights;
  readonly service: ModerationService;
  readonly users: UserRepository;
  readonly moderation: ModerationRepository;
  readonly now: () => Date;
  readonly log: Log;
}

/**
 * `/mod ...` and the moderator buttons. Users appear here only by their anonymous handle;
 * platform ids never reach a moderator. The caller (Commands) has already checked that the
 * person is a moderator; button presses are checked there as well.
 */
export class ModeratorDesk implements ModeratorTools {
  constructor(private readonly d: ModeratorDeskDeps) {}

  isModerator(user: UserRecord): Promise<boolean> {
    return this.d.directory.isModerator(user.ref);
  }

  async run(moderator: UserRecord, args: string): Promise<Outbound[]> {
    const { head, rest } = words(args, 1);
    const sub = (head[0] ?? 'help').toLowerCase();
    // The subcommand only: arguments may carry a warning text or a reason.
    this.d.log.info({ moderatorId: moderator.id, sub }, 'moderator command');
    switch (sub) {
      case 'help':
        return [notice(mt.MOD_HELP)];
      case 'reports':
        return this.reportsCommand(rest);
      case 'report':
        return this.reportView(await this.reportIdOf(rest));
      case 'ban':
        return this.banCommand(moderator, rest);
      case 'unban':
        return this.unbanCommand(moderator, rest);
      case 'warn':
        return this.warnCommand(moderator, rest);
      case 'feedback':
        return this.feedbackCommand(rest);
      case 'user':
        return this.userView(rest);
      case 'stats':
        return this.statsView();
      default:
        throw new UserError('bad_arguments', mt.MOD_UNKNOWN_SUB(sub));
    }
  }

  async press(moderator: UserRecord, action: ModAction): Promise<Outbound[]> {
    this.d.log.info({ moderatorId: moderator.id, action: action.type }, 'moderator button');
    switch (action.type) {
      case 'mod_open':
        return this.reportView(action.reportId);
      case 'mod_page':
        return action.list === 'reports' ? this.reportsList(action.filter, action.page) : this.feedbackList(action.filter, action.page);
      case 'mod_dismiss': {
        const report = await this.openReport(action.reportId);
        const { stillSuspended } = await this.d.service.dismiss(moderator, report.id, report.reportedId);
        return [notice(`Report ${shortReportId(report.id)} dismissed.${suspensionNote(report.reportedHandle, stillSuspended)}`)];
      }
      case 'mod_warn': {
        const report = await this.openReport(action.reportId);
        const target = await this.userById(report.reportedId);
        const { stillSuspended } = await this.d.service.warn(moderator, target, mt.DEFAULT_WARNING, report.id);
        return [notice(`Warned ${target.handle}; report ${shortReportId(report.id)} closed.${suspensionNote(target.handle, stillSuspended)}`)];
      }
      case 'mod_ban': {
        const report = await this.openReport(action.reportId);
        const target = await this.userById(report.reportedId);
        const durationMs = BAN_BUTTON_MS[action.duration];
        const { ban, closedReports } = await this.d.service.ban({
          moderator,
          target,
          durationMs,
          reason: `${categoryLabel(report.category)} (report ${shortReportId(report.id)})`,
          reportId: report.id,
        });
        return [notice(mt.banDone(target.handle, durationMs, ban.until, closedReports))];
      }
    }
  }

  // ---- reports ---------------------------------------------------------------------------

  private reportsCommand(rest: string): Promise<Outbound[]> {
    let filter: ReportFilter = 'open';
    let page: string | undefined;
    for (const w of rest.split(/\s+/).filter((x) => x !== '')) {
      const lw = w.toLowerCase();
      if (lw === 'open' || lw === 'all') filter = lw;
      else if (page === undefined) page = w;
      else throw new UserError('bad_arguments', mt.MOD_USAGE.reports);
    }
    return this.reportsList(filter, parsePage(page));
  }

  private async reportsList(filter: ReportFilter, page: number): Promise<Outbound[]> {
    const { items, total } = await this.d.store.listReports(filter, (page - 1) * PAGE_SIZE, PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (total === 0) return [notice(filter === 'open' ? 'No open reports.' : 'No reports yet.')];
    if (items.length === 0) return [notice(`There are only ${pages} page${pages === 1 ? '' : 's'} of reports.`)];
    const now = this.d.now();
    const lines = [
      `Reports (${filter}), newest first — page ${page} of ${pages}, ${total} in all`,
      ...items.map((r) => reportLine(r, now, filter === 'all')),
      '',
      'Open one with /mod report <id> or a button below.',
    ];
    const open: ButtonRow[] = chunk(
      items.map((r) => ({ label: shortReportId(r.id), action: encodeAction({ type: 'mod_open', reportId: r.id }) })),
      5,
    );
    const nav = [
      ...(page > 1 ? [{ label: '◀ Newer', action: encodeAction({ type: 'mod_page', list: 'reports', filter, page: page - 1 }) }] : []),
      ...(page < pages ? [{ label: 'Older ▶', action: encodeAction({ type: 'mod_page', list: 'reports', filter, page: page + 1 }) }] : []),
    ];
    return toNotices(lines, nav.length > 0 ? [...open, nav] : open);
  }

  private async reportIdOf(rest: string): Promise<string> {
    const raw = rest.trim().split(/\s+/)[0];
    const [found, other] = await this.d.store.findReportIds(parseReportRef(raw));
    if (other !== undefined) throw new UserError('bad_arguments', mt.AMBIGUOUS_REPORT);
    if (found === undefined) throw new UserError('not_found', mt.noSuchReport(raw ?? ''));
    return found;
  }

  private async openReport(id: string): Promise<ReportDetail> {
    const report = await this.d.store.report(id);
    if (!report) throw new UserError('not_found', mt.noSuchReport(shortReportId(id)));
    if (report.status !== 'open') throw new UserError('not_found', mt.reportNotOpen(shortReportId(id), report.status, report.resolution));
    return report;
  }

  private async reportView(id: string): Promise<Outbound[]> {
    const r = await this.d.store.report(id);
    if (!r) throw new UserError('not_found', mt.noSuchReport(shortReportId(id)));
    const now = this.d.now();
    const [reported, activeBan, prior, bans] = await Promise.all([
      this.d.users.get(r.reportedId),
      this.d.moderation.activeBan(r.reportedId),
      this.d.store.reportsAgainst(r.reportedId, 11),
      this.d.store.bans(r.reportedId, 10),
    ]);
    const others = prior.filter((p) => p.id !== r.id).slice(0, 10);
    const h = r.reportedHandle;
    const lines = [
      `Report ${shortReportId(r.id)} · ${categoryLabel(r.category)} · ${r.status}` +
        (r.status !== 'open' ? ` (${r.resolution ?? r.status}${r.resolvedByHandle ? ` by ${r.resolvedByHandle}` : ''})` : ''),
      `Filed ${formatTime(r.createdAt)} (${formatAge(r.createdAt, now)} ago) about ${r.sessionId}`,
      `Reported user: ${h} · reported by ${r.reporterHandle}`,
      ...(r.comment ? [`Comment: ${clip(r.comment, 1000)}`] : []),
      `State of ${h}: ${reported ? stateOf(reported, activeBan) : 'unknown'}`,
      others.length === 0 ? `Prior reports against ${h}: none` : `Other reports against ${h}: ${others.length}${prior.length > 10 ? '+' : ''}`,
      ...others.map((p) => `  ${reportLine(p, now, true, false)}`),
      bans.length === 0 ? `Bans of ${h}: none` : `Bans of ${h}:`,
      ...bans.map((b) => `  ${banLine(b, now)}`),
      '',
      r.snapshotPurgedAt
        ? `Messages from ${h} in this chat: purged ${r.snapshotPurgedAt.toISOString().slice(0, 10)}, after the retention period that followed the decision.`
        : r.snapshot.length === 0
        ? `No retained messages from ${h} in this chat.`
        : `Messages from ${h} in this chat (${r.snapshot.length}; the reporter's are not shown):`,
      ...r.snapshot.slice(0, MAX_TRANSCRIPT_LINES).map((m) => clip(`${m.at.toISOString().slice(11, 19)} ${m.text === null ? `[${m.kind}]` : m.kind === 'text' ? m.text : `[${m.kind}] ${m.text}`}`)),
      ...(r.snapshot.length > MAX_TRANSCRIPT_LINES ? [`… ${r.snapshot.length - MAX_TRANSCRIPT_LINES} more not shown`] : []),
    ];
    const buttons: ButtonRow[] =
      r.status === 'open'
        ? [
            [
              { label: 'Dismiss', action: encodeAction({ type: 'mod_dismiss', reportId: r.id }) },
              { label: 'Warn', action: encodeAction({ type: 'mod_warn', reportId: r.id }) },
            ],
            [
              { label: 'Ban 24 h', action: encodeAction({ type: 'mod_ban', duration: '24h', reportId: r.id }) },
              { label: 'Ban 7 d', action: encodeAction({ type: 'mod_ban', duration: '7d', reportId: r.id }) },
              { label: 'Ban permanently', action: encodeAction({ type: 'mod_ban', duration: 'perm', reportId: r.id }) },
            ],
          ]
        : [];
    return toNotices(lines, buttons);
  }

  // ---- actions by handle -------------------------------------------------------------------

  private async banCommand(moderator: UserRecord, rest: string): Promise<Outbound[]> {
    const { head, rest: reason } = words(rest, 2);
    if (head.length < 2 || reason === '') throw new UserError('bad_arguments', mt.MOD_USAGE.ban);
    const target = await this.userByHandle(head[0]);
    const durationMs = parseDuration(head[1] ?? '');
    const { ban, closedReports } = await this.d.service.ban({ moderator, target, durationMs, reason: clip(reason, MAX_REASON_CHARS) });
    return [notice(mt.banDone(target.handle, durationMs, ban.until, closedReports))];
  }

  private async unbanCommand(moderator: UserRecord, rest: string): Promise<Outbound[]> {
    const { head, rest: reason } = words(rest, 1);
    if (head.length < 1) throw new UserError('bad_arguments', mt.MOD_USAGE.unban);
    const target = await this.userByHandle(head[0]);
    const { lifted, unsuspended } = await this.d.service.unban(moderator, target, reason === '' ? null : clip(reason, MAX_REASON_CHARS));
    return [notice(mt.unbanDone(target.handle, lifted, unsuspended))];
  }

  private async warnCommand(moderator: UserRecord, rest: string): Promise<Outbound[]> {
    const { head, rest: text } = words(rest, 1);
    if (head.length < 1 || text === '') throw new UserError('bad_arguments', mt.MOD_USAGE.warn);
    const target = await this.userByHandle(head[0]);
    const { stillSuspended } = await this.d.service.warn(moderator, target, clip(text, MAX_WARNING_CHARS));
    return [notice(`Warning sent to ${target.handle}.${suspensionNote(target.handle, stillSuspended)}`)];
  }

  // ---- feedback, user, stats ---------------------------------------------------------------

  private feedbackCommand(rest: string): Promise<Outbound[]> {
    let order: FeedbackOrder = 'recent';
    let page: string | undefined;
    for (const w of rest.split(/\s+/).filter((x) => x !== '')) {
      const lw = w.toLowerCase();
      if (lw === 'low' || lw === 'recent') order = lw;
      else if (page === undefined) page = w;
      else throw new UserError('bad_arguments', mt.MOD_USAGE.feedback);
    }
    return this.feedbackList(order, parsePage(page));
  }

  private async feedbackList(order: FeedbackOrder, page: number): Promise<Outbound[]> {
    const now = this.d.now();
    const today = startOfUtcDay(now);
    const weekStart = new Date(today.getTime() - 6 * DAY_MS);
    const [{ items, total }, daily] = await Promise.all([
      this.d.insights.feedback(order, order === 'low' ? new Date(now.getTime() - 7 * DAY_MS) : null, (page - 1) * PAGE_SIZE, PAGE_SIZE),
      this.d.insights.dailyRatings(weekStart, 7),
    ]);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const heading = order === 'low' ? 'Feedback, lowest first (last 7 days)' : 'Feedback, newest first';
    const lines = [
      total === 0 ? `${heading}: none yet.` : `${heading} — page ${page} of ${pages}, ${total} rating${total === 1 ? '' : 's'}`,
      ...(total > 0 && items.length === 0 ? [`There are only ${pages} page${pages === 1 ? '' : 's'}.`] : []),
      ...items.flatMap((f) => [
        `${'★'.repeat(f.rating)}${'☆'.repeat(5 - f.rating)} ${f.rating} · ${formatAge(f.at, now)} ago · ${f.raterHandle} about ${f.ratedHandle} · ${f.sessionId}`,
        ...(f.comment ? [`   “${clip(f.comment)}”`] : []),
      ]),
      '',
      'Average rating per day (UTC), last 7 days:',
      ...daily.map((d) => `${d.day}  ${d.average === null ? '—' : `${d.average.toFixed(2)} (${d.count})`}`),
    ];
    const nav = [
      ...(page > 1 ? [{ label: '◀ Previous', action: encodeAction({ type: 'mod_page', list: 'feedback', filter: order, page: page - 1 }) }] : []),
      ...(page < pages ? [{ label: 'Next ▶', action: encodeAction({ type: 'mod_page', list: 'feedback', filter: order, page: page + 1 }) }] : []),
    ];
    return toNotices(lines, nav.length > 0 ? [nav] : []);
  }

  private async userView(rest: string): Promise<Outbound[]> {
    const raw = rest.trim().split(/\s+/)[0];
    if (!raw) throw new UserError('bad_arguments', mt.MOD_USAGE.user);
    const user = await this.userByHandle(raw);
    const now = this.d.now();
    const [figures, activeBan, bans, actions] = await Promise.all([
      this.d.insights.userFigures(user.id),
      this.d.moderation.activeBan(user.id),
      this.d.store.bans(user.id, 10),
      this.d.store.actionsAgainst(user.id, 15),
    ]);
    if (!figures) throw new UserError('not_found', mt.noSuchUser(user.handle));
    const lines = [
      `User ${user.handle}`,
      `State: ${stateOf(user, activeBan)}`,
      `Joined: ${formatTime(figures.createdAt)}`,
      `Sessions: ${figures.sessions}`,
      figures.averageReceived === null
        ? 'Average rating received: no ratings yet'
        : `Average rating received: ${figures.averageReceived.toFixed(2)} (${figures.ratingsReceived} rating${figures.ratingsReceived === 1 ? '' : 's'})`,
      `Reports against: ${figures.reportsAgainst} (${figures.openReportsAgainst} open) · reports made: ${figures.reportsMade}`,
      bans.length === 0 ? 'Bans: none' : 'Bans:',
      ...bans.map((b) => `  ${banLine(b, now)}`),
      actions.length === 0 ? 'Moderator actions: none' : 'Moderator actions:',
      ...actions.map(
        (a) =>
          `  ${formatTime(a.at)} · ${a.action} · by ${a.moderatorHandle ?? 'system'}` +
          (a.reportId ? ` · report ${shortReportId(a.reportId)}` : '') +
          (a.reason ? ` · ${clip(a.reason, 200)}` : ''),
      ),
    ];
    return toNotices(lines);
  }

  private async statsView(): Promise<Outbound[]> {
    const now = this.d.now();
    const s = await this.d.insights.stats(now);
    const avg = (r: { count: number; average: number | null }): string => (r.average === null ? '— (0)' : `${r.average.toFixed(2)} (${r.count})`);
    const ttm = s.timeToMatch;
    return [
      notice(
        [
          `EchoSoul at ${formatTime(now)}`,
          `Now: ${s.searching} searching · ${s.chatting} chatting`,
          `Today (UTC): ${s.matchesToday} matches · ${s.sessionsToday} sessions`,
          ttm.samples === 0 || ttm.medianMs === null || ttm.p95Ms === null
            ? 'Time to match, last hour: no matches'
            : `Time to match, last hour: median ${formatSeconds(ttm.medianMs)} · p95 ${formatSeconds(ttm.p95Ms)} (${ttm.samples} waits)`,
          `Average rating: today ${avg(s.ratingToday)} · last 7 days ${avg(s.rating7d)}`,
          `Open reports: ${s.openReports} · suspended users: ${s.suspended}`,
        ].join('\n'),
      ),
    ];
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async userByHandle(raw: string | undefined): Promise<UserRecord> {
    const handle = parseHandle(raw);
    const id = await this.d.store.userIdByHandle(handle);
    const user = id ? await this.d.users.get(id) : null;
    if (!user) throw new UserError('not_found', mt.noSuchUser(handle));
    return user;
  }

  private async userById(id: string): Promise<UserRecord> {
    const user = await this.d.users.get(id);
    if (!user) throw new UserError('not_found', 'That user no longer exists.');
    return user;
  }
}

function reportLine(r: ReportListItem, now: Date, withStatus: boolean, withHandle = true): string {
  return [
    shortReportId(r.id),
    categoryLabel(r.category),
    `${formatAge(r.createdAt, now)} ago`,
    ...(withHandle ? [`${r.reportedHandle} (${r.priorReports} prior)`] : []),
    ...(withStatus ? [r.status] : []),
  ].join(' · ');
}

function banLine(b: BanRecord, now: Date): string {
  const end = b.until ? formatTime(b.until) : 'permanent';
  const state = b.liftedAt
    ? `lifted ${formatTime(b.liftedAt)}${b.liftedByHandle ? ` by ${b.liftedByHandle}` : ''}`
    : b.until && b.until.getTime() <= now.getTime()
      ? 'expired'
      : 'active';
  return `${formatTime(b.startsAt)} → ${end} · ${state} · by ${b.moderatorHandle ?? 'system'} · ${clip(b.reason, 200)}`;
}

function stateOf(user: UserRecord, ban: ActiveBan | null): string {
  const parts: string[] = [user.status];
  if (ban) parts.push(ban.until ? `banned until ${formatTime(ban.until)}` : 'banned permanently');
  if (user.suspendedAt) parts.push(`suspended since ${formatTime(user.suspendedAt)}`);
  return parts.join(', ');
}

const suspensionNote = (handle: string, open: number): string => (open > 0 ? `\n${mt.stillSuspended(handle, open)}` : '');

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const startOfUtcDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
