import type { FeedbackRepository, RateResult, SessionId, UserId } from '../../core/index.js';
import type { PrismaClient } from '../generated/client.js';
import { isUniqueViolation } from './prisma-errors.js';

export class PrismaFeedbackRepository implements FeedbackRepository {
  constructor(private readonly db: PrismaClient) {}

  async rate(sessionId: SessionId, userId: UserId, rating: number): Promise<RateResult> {
    try {
      await this.db.feedback.create({ data: { sessionId, userId, rating } });
      return 'saved';
    } catch (err) {
      if (isUniqueViolation(err)) return 'already_rated';
      throw err;
    }
  }

  async comment(sessionId: SessionId, userId: UserId, comment: string): Promise<boolean> {
    const { count } = await this.db.feedback.updateMany({ where: { sessionId, userId }, data: { comment } });
    return count > 0;
  }

  async ratingOf(sessionId: SessionId, userId: UserId): Promise<number | null> {
    const f = await this.db.feedback.findUnique({ where: { sessionId_userId: { sessionId, userId } }, select: { rating: true } });
    return f?.rating ?? null;
  }
}
