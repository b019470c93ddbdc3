import type {
  EndReason,
  HistoryEntry,
  NewSession,
  SessionId,
  SessionRecord,
  SessionRepository,
  UserId,
} from '../../core/index.js';
import type { PrismaClient, Session } from '../generated/client.js';

const toRecord = (s: Session): SessionRecord => ({
  id: s.id,
  userAId: s.userAId,
  userBId: s.userBId,
  startedAt: s.startedAt,
  endedAt: s.endedAt,
  endReason: s.endReason,
  endedById: s.endedById,
  sharedInterests: s.sharedInterests,
});

export class PrismaSessionRepository implements SessionRepository {
  constructor(private readonly db: PrismaClient) {}

  async create(s: NewSession): Promise<SessionRecord> {
    const created = await this.db.session.create({
      data: {
        id: s.id,
        userAId: s.userAId,
        userBId: s.userBId,
        startedAt: s.startedAt,
        score: s.score,
        sharedInterests: [...s.sharedInterests],
        waitedMsA: Math.round(s.waitedMsA),
        waitedMsB: Math.round(s.waitedMsB),
      },
    });
    return toRecord(created);
  }

  async end(id: SessionId, reason: EndReason, endedById: UserId | null, at: Date): Promise<SessionRecord | null> {
    // The endedAt: null condition makes ending idempotent under concurrent /stop, timeouts and failures.
    const { count } = await this.db.session.updateMany({
      where: { id, endedAt: null },
      data: { endedAt: at, endReason: reason, endedById },
    });
    if (count === 0) return null;
    return this.get(id);
  }

  async get(id: SessionId): Promise<SessionRecord | null> {
    const s = await this.db.session.findUnique({ where: { id } });
    return s ? toRecord(s) : null;
  }

  async activeFor(userId: UserId): Promise<SessionRecord | null> {
    const s = await this.db.session.findFirst({
      where: { endedAt: null, OR: [{ userAId: userId }, { userBId: userId }] },
      orderBy: { startedAt: 'desc' },
    });
    return s ? toRecord(s) : null;
  }

  async history(userId: UserId, limit: number): Promise<HistoryEntry[]> {
    const rows = await this.db.session.findMany({
      where: { OR: [{ userAId: userId }, { userBId: userId }] },
      orderBy: { startedAt: 'desc' },
      take: limit,
      include: { feedback: { where: { userId }, select: { rating: true } } },
    });
    if (rows.length === 0) return [];
    const counts = await this.db.message.groupBy({
      by: ['sessionId', 'senderId'],
      where: { sessionId: { in: rows.map((r) => r.id) } },
      _count: { _all: true },
    });
    const countOf = (sessionId: string, mine: boolean) =>
      counts
        .filter((c) => c.sessionId === sessionId && (c.senderId === userId) === mine)
        .reduce((sum, c) => sum + c._count._all, 0);
    return rows.map((r) => ({
      sessionId: r.id,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      endReason: r.endReason,
      sentByMe: countOf(r.id, true),
      sentByPartner: countOf(r.id, false),
      myRating: r.feedback[0]?.rating ?? null,
    }));
  }
}
