import { isUuid, type NewReport, type ReportCategory, type ReportRepository, type SessionId, type UserId } from '../../core/index.js';
import type { PrismaClient } from '../generated/client.js';
import { isUniqueViolation } from './prisma-errors.js';

export class PrismaReportRepository implements ReportRepository {
  constructor(private readonly db: PrismaClient) {}

  async create(r: NewReport): Promise<{ id: string; created: boolean }> {
    const earlier = await this.findByReporter(r.sessionId, r.reporterId);
    if (earlier) return { id: earlier.id, created: false };
    // The snapshot is the reported person's messages only: the reporter's own words are not evidence.
    // It lives in the report row, so retention may purge the message rows; purgeClosedSnapshotsBefore empties it.
    const messages = await this.db.message.findMany({
      where: { sessionId: r.sessionId, senderId: r.reportedId, purgedAt: null },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true, kind: true, text: true, fileId: true },
    });
    const snapshot = messages.map((m) => ({ at: m.createdAt.toISOString(), kind: m.kind, text: m.text, fileId: m.fileId }));
    try {
      const created = await this.db.report.create({
        data: {
          sessionId: r.sessionId,
          reporterId: r.reporterId,
          reportedId: r.reportedId,
          category: r.category,
          comment: r.comment,
          snapshot,
        },
        select: { id: true },
      });
      return { id: created.id, created: true };
    } catch (err) {
      // Another process filed the same person's report of this chat in between.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.findByReporter(r.sessionId, r.reporterId);
      if (!winner) throw err;
      return { id: winner.id, created: false };
    }
  }

  private async findByReporter(sessionId: SessionId, reporterId: UserId): Promise<{ id: string } | null> {
    return this.db.report.findFirst({ where: { sessionId, reporterId }, orderBy: { createdAt: 'asc' }, select: { id: true } });
  }

  async addComment(reportId: string, reporterId: UserId, comment: string): Promise<boolean> {
    if (!isUuid(reportId)) return false;
    // One statement, so two notes sent at once both survive.
    const count = await this.db.$executeRaw`
      UPDATE "Report"
         SET "comment" = CASE WHEN "comment" IS NULL OR "comment" = '' THEN ${comment} ELSE "comment" || E'\n' || ${comment} END
       WHERE "id" = ${reportId}::uuid AND "reporter_id" = ${reporterId}::uuid AND "status" = 'open'`;
    return count > 0;
  }

  async purgeClosedSnapshotsBefore(cutoff: Date, at: Date): Promise<number> {
    // Open reports keep their evidence however old; a closed one keeps it through the
    // retention period after the decision, for questions and appeals.
    const { count } = await this.db.report.updateMany({
      where: { status: { not: 'open' }, resolvedAt: { lt: cutoff }, snapshotPurgedAt: null },
      data: { snapshot: [], snapshotPurgedAt: at },
    });
    return count;
  }

  async setCategory(reportId: string, reporterId: UserId, category: ReportCategory): Promise<boolean> {
    if (!isUuid(reportId)) return false;
    const { count } = await this.db.report.updateMany({ where: { id: reportId, reporterId, status: 'open' }, data: { category } });
    return count > 0;
  }
}
