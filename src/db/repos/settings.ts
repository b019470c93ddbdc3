import type { PrismaClient } from '../client.js';

/**
 * Small application settings kept in Postgres (AppSetting), such as the generated
 * WEB_SECRET (written once, then only read, so every process agrees) and the list of
 * Telegram chats given the moderator menu (rewritten at each start).
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

  async set(key: string, value: string): Promise<void> {
    await this.db.appSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
  }

  /** A list of strings kept as JSON in one setting; anything unreadable there counts as empty. */
  async getList(key: string): Promise<string[]> {
    const raw = await this.get(key);
    if (raw === null) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  }

  setList(key: string, values: readonly string[]): Promise<void> {
    return this.set(key, JSON.stringify(values));
  }

  /** The stored value, or `make()` stored and returned when there is none yet. */
  async getOrCreate(key: string, make: () => string): Promise<string> {
    return (await this.get(key)) ?? this.setIfAbsent(key, make());
  }
}
