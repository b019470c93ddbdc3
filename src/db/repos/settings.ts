import { createPrisma, type PrismaClient } from '../client.js';

/**
 * Small application settings kept in Postgres (AppSetting), such as the generated
 * WEB_SECRET. Values are written once and then only read, so every process agrees.
 */
export class PrismaSettingsRepository {
  constructor(private readonly db: PrismaClient) {}

  async get(key: string): Promise<string | null> {
    const row = await this.db.appSetting.findUnique({ where: { key }, select: { value: true } });
    return row?.value ?? null;
  }

  /**
   * Stores `value` unless the key already has one, and returns the stored value. Race-safe:
   * INSERT ... ON CONFLICT DO NOTHING, then read, so concurrent first starts agree.
   */
  async setIfAbsent(key: string, value: string): Promise<string> {
    await this.db.$executeRaw`INSERT INTO "AppSetting" ("key", "value", "updated_at") VALUES (${key}, ${value}, now()) ON CONFLICT ("key") DO NOTHING`;
    const stored = await this.get(key);
    if (stored === null) throw new Error(`setting ${key} vanished right after it was written`);
    return stored;
  }

  /** The stored value, or `make()` stored and returned when there is none yet. */
  async getOrCreate(key: string, make: () => string): Promise<string> {
    return (await this.get(key)) ?? this.setIfAbsent(key, make());
  }
}

/**
 * Reads (or creates) one setting over a short-lived connection, for callers that run before
 * or outside the app's own PrismaClient (main.ts building the web transport).
 */
export async function readOrCreateSetting(databaseUrl: string, key: string, make: () => string): Promise<string> {
  const prisma = createPrisma(databaseUrl, { maxConnections: 1 });
  try {
    return await new PrismaSettingsRepository(prisma).getOrCreate(key, make);
  } finally {
    await prisma.$disconnect();
  }
}
