import type { ActiveBan, ModerationRepository, UserId } from '../../core/index.js';
import type { PrismaClient } from '../generated/client.js';

export class PrismaModerationRepository implements ModerationRepository {
  constructor(
    private readonly db: PrismaClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async activeBan(userId: UserId): Promise<ActiveBan | null> {
    const ban = await this.db.ban.findFirst({
      where: { userId, liftedAt: null, startsAt: { lte: this.now() }, OR: [{ until: null }, { until: { gt: this.now() } }] },
      // A permanent ban outranks any temporary one; otherwise the latest end wins.
      orderBy: [{ until: { sort: 'desc', nulls: 'first' } }],
    });
    return ban ? { until: ban.until, reason: ban.reason } : null;
  }

  async avoidList(userId: UserId): Promise<UserId[]> {
    const [blocks, reports] = await Promise.all([
      this.db.block.findMany({
        where: { OR: [{ blockerId: userId }, { blockedId: userId }] },
        select: { blockerId: true, blockedId: true },
      }),
      this.db.report.findMany({
        where: { OR: [{ reporterId: userId }, { reportedId: userId }] },
        select: { reporterId: true, reportedId: true },
      }),
    ]);
    const ids = new Set<UserId>();
    for (const b of blocks) ids.add(b.blockerId === userId ? b.blockedId : b.blockerId);
    for (const r of reports) ids.add(r.reporterId === userId ? r.reportedId : r.reporterId);
    ids.delete(userId);
    return [...ids];
  }

  async block(blockerId: UserId, blockedId: UserId): Promise<void> {
    if (blockerId === blockedId) return;
    await this.db.block.upsert({
      where: { blockerId_blockedId: { blockerId, blockedId } },
      create: { blockerId, blockedId },
      update: {},
    });
  }
}
