/**
 * A real Redis for a test file: its own key prefix, and a cleanup that deletes exactly
 * those keys and closes the connection. REDIS_URL is read here (tests are not src/).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export interface TestRedis {
  readonly redis: Redis;
  /** Unique per call: `test:<uuid>`. */
  readonly prefix: string;
  /** Another connection to the same Redis (for a second matcher, BullMQ, ...); closed by cleanup. */
  connect(options?: { maxRetriesPerRequest?: number | null }): Redis;
  cleanup(): Promise<void>;
}

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

export async function createTestRedis(): Promise<TestRedis> {
  const prefix = `test:${randomUUID()}`;
  const extra: Redis[] = [];
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  return {
    redis,
    prefix,
    connect(options = {}) {
      const r = new Redis(REDIS_URL, { maxRetriesPerRequest: options.maxRetriesPerRequest ?? 20 });
      extra.push(r);
      return r;
    },
    async cleanup() {
      await deleteByPrefix(redis, prefix);
      await Promise.all(extra.map((r) => r.quit().catch(() => r.disconnect())));
      await redis.quit();
    },
  };
}
