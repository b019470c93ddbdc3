import type {
  DailyRating,
  FeedbackItem,
  FeedbackOrder,
  ModerationInsights,
  ServiceStats,
  UserFigures,
  UserId,
} from '../../core/index.js';
import { startOfUtcDay } from '../../core/index.js';
import type { PrismaClient } from '../generated/client.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const participant = (userId: UserId) => ({ OR: [{ userAId: userId }, { userBId: userId }] });

/** Read-only figures for the moderator commands: feedback, a user's record, service stats. */
export class PrismaModerationInsights implements ModerationInsights {
  constructor(private readonly db: PrismaClient) {}

  async feedback(order: FeedbackOrder, since: Date | null, offset: number, limit: number): Promise<{ items: FeedbackItem[]; total: number }> {
    const where = since ? { createdAt: { gte: since } } : {};
    const [rows, total] = await Promise.all([
      this.db.feedback.findMany({
        where,
        orderBy: order === 'low' ? [{ rating: 'asc' }, { createdAt: 'desc' }, { id: 'desc' }] : [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: offset,
        take: limit,
        include: {
          user: { select: { handle: true } },
          session: { select: { userAId: true, userA: { select: { handle: true } }, userB: { select: { handle: true } } } },
        },
      }),
      this.db.feedback.count({ where }),
    ]);
    return {
      items: rows.map((f) => ({
        at: f.createdAt,
        rating: f.rating,
        comment: f.comment,
        sessionId: f.sessionId,
        raterHandle: f.user.handle,
        // The rated person is the other participant of the session.
        ratedHandle: f.session.userAId === f.userId ? f.session.userB.handle : f.session.userA.handle,
      })),
      total,
    };
  }

  async dailyRatings(from: Date, days: number): Promise<DailyRating[]> {
    const start = startOfUtcDay(from);
    const end = new Date(start.getTime() + days * DAY_MS);
    const rows = await this.db.$queryRaw<{ day: string; average: number; count: number }[]>`
      SELECT to_char(("created_at" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
             avg("rating")::float8 AS average,
             count(*)::int AS count
        FROM "Feedback"
       WHERE "created_at" >= ${start} AND "created_at" < ${end}
       GROUP BY 1`;
    const byDay = new Map(rows.map((r) => [r.day, r]));
    return Array.from({ length: days }, (_, i) => {
      const day = new Date(start.getTime() + i * DAY_MS).toISOString().slice(0, 10);
      const r = byDay.get(day);
      return r ? { day, average: Number(r.average), count: Number(r.count) } : { day, average: null, count: 0 };
    });
  }

  async userFigures(userId: UserId): Promise<UserFigures | null> {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { createdAt: true } });
    if (!user) return null;
    const [sessions, received, reportsAgainst, openReportsAgainst, reportsMade] = await Promise.all([
      this.db.session.count({ where: participant(userId) }),
      // Ratings the partners gave: feedback on the user's sessions written by someone else.
      this.db.feedback.aggregate({
        where: { userId: { not: userId }, session: participant(userId) },
        _avg: { rating: true },
        _count: { _all: true },
      }),
      this.db.report.count({ where: { reportedId: userId } }),
      this.db.report.count({ where: { reportedId: userId, status: 'open' } }),
      this.db.report.count({ where: { reporterId: userId } }),
    ]);
    return {
      createdAt: user.createdAt,
      sessions,
      ratingsReceived: received._count._all,
      averageReceived: received._avg.rating,
      reportsAgainst,
      openReportsAgainst,
      reportsMade,
    };
  }

  async stats(now: Date): Promise<ServiceStats> {
    const dayStart = startOfUtcDay(now);
    const hourAgo = new Date(now.getTime() - HOUR_MS);
    const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
    const [searching, chatting, matchesToday, sessionsToday, ttm, ratingToday, rating7d, openReports, suspended] = await Promise.all([
      this.db.user.count({ where: { status: 'searching' } }),
      this.db.user.count({ where: { status: 'chatting' } }),
      this.db.session.count({ where: { startedAt: { gte: dayStart, lte: now } } }),
      this.db.session.count({
        where: { startedAt: { lte: now }, OR: [{ startedAt: { gte: dayStart } }, { endedAt: null }, { endedAt: { gte: dayStart } }] },
      }),
      // Both people of a match waited; each wait is one sample.
      this.db.$queryRaw<{ samples: number; median: number | null; p95: number | null }[]>`
        SELECT count(*)::int AS samples,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY w)::float8 AS median,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY w)::float8 AS p95
          FROM (
            SELECT "waited_ms_a" AS w FROM "Session"
             WHERE "started_at" > ${hourAgo} AND "started_at" <= ${now} AND "waited_ms_a" IS NOT NULL
            UNION ALL
            SELECT "waited_ms_b" AS w FROM "Session"
             WHERE "started_at" > ${hourAgo} AND "started_at" <= ${now} AND "waited_ms_b" IS NOT NULL
          ) waits`,
      this.db.feedback.aggregate({ where: { createdAt: { gte: dayStart } }, _avg: { rating: true }, _count: { _all: true } }),
      this.db.feedback.aggregate({ where: { createdAt: { gte: weekAgo } }, _avg: { rating: true }, _count: { _all: true } }),
      this.db.report.count({ where: { status: 'open' } }),
      this.db.user.count({ where: { suspendedAt: { not: null } } }),
    ]);
    const t = ttm[0];
    return {
      searching,
      chatting,
      matchesToday,
      sessionsToday,
      timeToMatch: {
        samples: Number(t?.samples ?? 0),
        medianMs: t?.median === null || t?.median === undefined ? null : Number(t.median),
        p95Ms: t?.p95 === null || t?.p95 === undefined ? null : Number(t.p95),
      },
      ratingToday: { count: ratingToday._count._all, average: ratingToday._avg.rating },
      rating7d: { count: rating7d._count._all, average: rating7d._avg.rating },
      openReports,
      suspended,
    };
  }
}
