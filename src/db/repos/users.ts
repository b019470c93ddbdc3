import { randomBytes } from 'node:crypto';
import type { SessionId, UserId, UserRecord, UserRef, UserRepository, UserStatus } from '../../core/index.js';
import { Prisma, type PrismaClient, type User } from '../generated/client.js';
import { isUniqueViolation } from './prisma-errors.js';

export const toUserRecord = (u: User): UserRecord => ({
  id: u.id,
  ref: { platform: u.platform, externalId: u.externalId },
  handle: u.handle,
  status: u.status,
  interests: u.interests,
  language: u.language,
  lastSessionId: u.lastSessionId,
  suspendedAt: u.suspendedAt,
});

const newHandle = (): string => `u_${randomBytes(3).toString('hex')}`;

export class PrismaUserRepository implements UserRepository {
  constructor(private readonly db: PrismaClient) {}

  async resolve(ref: UserRef): Promise<UserRecord> {
    const existing = await this.db.user.findUnique({
      where: { platform_externalId: { platform: ref.platform, externalId: ref.externalId } },
    });
    if (existing) return toUserRecord(existing);
    // Handles are short, so a clash is possible; a few fresh draws settle it.
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        const created = await this.db.user.create({
          data: { platform: ref.platform, externalId: ref.externalId, handle: newHandle() },
        });
        return toUserRecord(created);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const raced = await this.db.user.findUnique({
          where: { platform_externalId: { platform: ref.platform, externalId: ref.externalId } },
        });
        if (raced) return toUserRecord(raced);
      }
    }
    throw new Error('could not allocate a unique user handle');
  }

  async get(id: UserId): Promise<UserRecord | null> {
    const u = await this.db.user.findUnique({ where: { id } });
    return u ? toUserRecord(u) : null;
  }

  async byHandle(handle: string): Promise<UserRecord | null> {
    const u = await this.db.user.findUnique({ where: { handle } });
    return u ? toUserRecord(u) : null;
  }

  async setPreferences(id: UserId, prefs: { interests: readonly string[]; language: string | null }): Promise<void> {
    await this.db.user.update({ where: { id }, data: { interests: [...prefs.interests], language: prefs.language } });
  }

  async setStatus(id: UserId, status: UserStatus, lastSessionId?: SessionId): Promise<void> {
    await this.db.user.update({
      where: { id },
      data: { status, ...(lastSessionId !== undefined ? { lastSessionId } : {}) },
    });
  }

  async eraseData(id: UserId): Promise<void> {
    const now = new Date();
    await this.db.$transaction([
      this.db.message.updateMany({
        where: { senderId: id, purgedAt: null },
        data: { text: null, fileId: null, content: Prisma.DbNull, purgedAt: now },
      }),
      this.db.feedback.updateMany({ where: { userId: id }, data: { comment: null } }),
      this.db.user.update({
        where: { id },
        data: { interests: [], language: null, status: 'offline', dataDeletedAt: now },
      }),
    ]);
  }
}
