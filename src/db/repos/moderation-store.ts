import type {
  ActionRecord,
  BanRecord,
  ModerationStore,
  NewBan,
  NewModeratorAction,
  ReportDetail,
  ReportFilter,
  ReportListItem,
  ReportStatus,
  SnapshotMessage,
  UserId,
} from '../../core/index.js';
import { isUuid } from '../../core/index.js';
import type { Prisma, PrismaClient } from '../generated/client.js';

const handleOnly = { select: { handle: true } } as const;

type BanRow = Prisma.BanGetPayload<{ include: { moderator: typeof handleOnly; liftedBy: typeof handleOnly } }>;

const toBan = (b: BanRow): BanRecord => ({
  id: b.id,
  userId: b.userId,
  reason: b.reason,
  moderatorHandle: b.moderator?.handle ?? null,
  startsAt: b.startsAt,
  until: b.until,
  liftedAt: b.liftedAt,
  liftedByHandle: b.liftedBy?.handle ?? null,
});

const banInclude = { moderator: handleOnly, liftedBy: handleOnly } as const;

/** Bans in force at `at`: not lifted, started, and permanent or not yet over. */
const inForce = (at: Date) => ({ liftedAt: null, startsAt: { lte: at }, OR: [{ until: null }, { until: { gt: at } }] });

/** The stored snapshot is JSON written by PrismaReportRepository; read it defensively. */
function parseSnapshot(raw: unknown): SnapshotMessage[] {
  if (!Array.isArray(raw)) return [];
  const out: SnapshotMessage[] = [];
  for (const item of raw as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { at, kind, text } = item as { at?: unknown; kind?: unknown; text?: unknown };
    if (typeof at !== 'string' || typeof kind !== 'string') continue;
    out.push({ at: new Date(at), kind, text: typeof text === 'string' ? text : null });
  }
  return out;
}

export class PrismaModerationStore implements ModerationStore {
  constructor(private readonly db: PrismaClient) {}

  async userIdByHandle(handle: string): Promise<UserId | null> {
    const u = await this.db.user.findUnique({ where: { handle }, select: { id: true } });
    return u?.id ?? null;
  }

  async handleOf(userId: UserId): Promise<string | null> {
    const u = await this.db.user.findUnique({ where: { id: userId }, select: { handle: true } });
    return u?.handle ?? null;
  }

  // ---- reports -----------------------------------------------------------------------------

  async listReports(filter: ReportFilter, offset: number, limit: number): Promise<{ items: ReportListItem[]; total: number }> {
    const where = filter === 'open' ? { status: 'open' as const } : {};
    const [rows, total] = await Promise.all([
      this.db.report.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: offset,
        take: limit,
        select: { id: true, category: true, status: true, createdAt: true, reported: handleOnly },
      }),
      this.db.report.count({ where }),
    ]);
    const prior = await this.priorCounts(rows.map((r) => r.id));
    return {
      items: rows.map((r) => ({
        id: r.id,
        category: r.category,
        status: r.status,
        createdAt: r.createdAt,
        reportedHandle: r.reported.handle,
        priorReports: prior.get(r.id) ?? 0,
      })),
      total,
    };
  }

  /** For each report: how many reports against the same person came before it (one query). */
  private async priorCounts(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.$queryRaw<{ id: string; prior: number }[]>`
      SELECT r."id"::text AS id,
             (SELECT count(*)::int FROM "Report" p WHERE p."reported_id" = r."reported_id" AND p."created_at" < r."created_at") AS prior
        FROM "Report" r
       WHERE r."id" = ANY(${[...ids]}::uuid[])`;
    return new Map(rows.map((r) => [r.id, Number(r.prior)]));
  }

  async findReportIds(ref: { readonly full: string } | { readonly short: string }): Promise<string[]> {
    if ('full' in ref) {
      if (!isUuid(ref.full)) return [];
      const r = await this.db.report.findUnique({ where: { id: ref.full }, select: { id: true } });
      return r ? [r.id] : [];
    }
    // Reports are few next to messages; a scan on the short id is fine at moderator pace.
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT "id"::text AS id FROM "Report" WHERE right("id"::text, 8) = ${ref.short} LIMIT 2`;
    return rows.map((r) => r.id);
  }

  async report(id: string): Promise<ReportDetail | null> {
    if (!isUuid(id)) return null;
    const r = await this.db.report.findUnique({
      where: { id },
      include: { reporter: handleOnly, reported: handleOnly, resolvedBy: handleOnly },
    });
    if (!r) return null;
    return {
      id: r.id,
      category: r.category,
      status: r.status,
      comment: r.comment,
      createdAt: r.createdAt,
      sessionId: r.sessionId,
      reporterHandle: r.reporter.handle,
      reportedId: r.reportedId,
      reportedHandle: r.reported.handle,
      snapshot: parseSnapshot(r.snapshot),
      snapshotPurgedAt: r.snapshotPurgedAt,
      resolution: r.resolution,
      resolvedAt: r.resolvedAt,
      resolvedByHandle: r.resolvedBy?.handle ?? null,
    };
  }

  async reportsAgainst(userId: UserId, limit: number): Promise<ReportListItem[]> {
    const [rows, total] = await Promise.all([
      this.db.report.findMany({
        where: { reportedId: userId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
        select: { id: true, category: true, status: true, createdAt: true, reported: handleOnly },
      }),
      this.db.report.count({ where: { reportedId: userId } }),
    ]);
    // Newest first, so the i-th one has (total - 1 - i) reports before it.
    return rows.map((r, i) => ({
      id: r.id,
      category: r.category,
      status: r.status,
      createdAt: r.createdAt,
      reportedHandle: r.reported.handle,
      priorReports: total - 1 - i,
    }));
  }

  openReportsAgainst(userId: UserId): Promise<number> {
    return this.db.report.count({ where: { reportedId: userId, status: 'open' } });
  }

  async recentReporters(userId: UserId, since: Date): Promise<number> {
    const groups = await this.db.report.groupBy({
      by: ['reporterId'],
      where: { reportedId: userId, status: 'open', createdAt: { gte: since } },
    });
    return groups.length;
  }

  async resolveReport(id: string, status: Exclude<ReportStatus, 'open'>, resolution: string, by: UserId | null, at: Date): Promise<boolean> {
    if (!isUuid(id)) return false;
    // Only an open report changes, so two moderators pressing at once act once.
    const { count } = await this.db.report.updateMany({
      where: { id, status: 'open' },
      data: { status, resolution, resolvedById: by, resolvedAt: at },
    });
    return count > 0;
  }

  async resolveOpenReportsAgainst(userId: UserId, resolution: string, by: UserId | null, at: Date): Promise<number> {
    const { count } = await this.db.report.updateMany({
      where: { reportedId: userId, status: 'open' },
      data: { status: 'actioned', resolution, resolvedById: by, resolvedAt: at },
    });
    return count;
  }

  // ---- bans ----------------------------------------------------------------------------------

  async createBan(ban: NewBan): Promise<BanRecord> {
    const row = await this.db.ban.create({
      data: { userId: ban.userId, moderatorId: ban.moderatorId, reason: ban.reason, startsAt: ban.startsAt, until: ban.until },
      include: banInclude,
    });
    return toBan(row);
  }

  async ban(id: string): Promise<BanRecord | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.ban.findUnique({ where: { id }, include: banInclude });
    return row ? toBan(row) : null;
  }

  async bans(userId: UserId, limit: number): Promise<BanRecord[]> {
    const rows = await this.db.ban.findMany({
      where: { userId },
      orderBy: [{ startsAt: 'desc' }, { id: 'desc' }],
      take: limit,
      include: banInclude,
    });
    return rows.map(toBan);
  }

  async activeBans(now: Date): Promise<BanRecord[]> {
    const rows = await this.db.ban.findMany({ where: inForce(now), include: banInclude });
    return rows.map(toBan);
  }

  async liftBans(userId: UserId, by: UserId, at: Date): Promise<number> {
    const { count } = await this.db.ban.updateMany({ where: { userId, ...inForce(at) }, data: { liftedAt: at, liftedById: by } });
    return count;
  }

  // ---- suspension ------------------------------------------------------------------------------

  async suspend(userId: UserId, at: Date): Promise<boolean> {
    const { count } = await this.db.user.updateMany({ where: { id: userId, suspendedAt: null }, data: { suspendedAt: at } });
    return count > 0;
  }

  async unsuspend(userId: UserId): Promise<boolean> {
    const { count } = await this.db.user.updateMany({ where: { id: userId, suspendedAt: { not: null } }, data: { suspendedAt: null } });
    return count > 0;
  }

  async suspendedUsers(): Promise<UserId[]> {
    const rows = await this.db.user.findMany({ where: { suspendedAt: { not: null } }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  // ---- audit -----------------------------------------------------------------------------------

  async recordAction(a: NewModeratorAction): Promise<void> {
    await this.db.moderatorAction.create({
      data: {
        moderatorId: a.moderatorId,
        action: a.action,
        targetUserId: a.targetUserId,
        reportId: a.reportId,
        reason: a.reason,
        ...(a.details ? { details: { ...a.details } } : {}),
      },
    });
  }

  async actionsAgainst(userId: UserId, limit: number): Promise<ActionRecord[]> {
    const rows = await this.db.moderatorAction.findMany({
      where: { targetUserId: userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      include: { moderator: handleOnly },
    });
    return rows.map((a) => ({ at: a.createdAt, action: a.action, moderatorHandle: a.moderator?.handle ?? null, reason: a.reason, reportId: a.reportId }));
  }
}
