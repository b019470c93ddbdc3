import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createApp, type App, type AppSettings } from '../../src/app.js';
import type { Log, Transport } from '../../src/core/index.js';
import type { HttpServer } from '../../src/http/server.js';
import { silentLog } from './log.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  readonly app: App;
  readonly db: TestDatabase;
  readonly prefix: string;
  readonly settings: AppSettings;
  stop(): Promise<void>;
  /** Stops the service but keeps its database and Redis keys, to start again on them. */
  stopKeepingData(): Promise<void>;
}

/** Deletes every key under a prefix (a test's own namespace in the shared Redis). */
export async function flushPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * The whole service on a database and Redis prefix of its own, with fast pacing and
 * short timeouts so end-to-end tests run in seconds.
 */
export async function startTestApp(
  transports: (http: HttpServer) => Transport[],
  overrides: Partial<AppSettings> = {},
  log: Log = silentLog,
  /** Start on the data of an earlier app (a restart); stop() then leaves it in place. */
  reuse?: { readonly db: TestDatabase; readonly prefix: string },
): Promise<TestApp> {
  const db = reuse?.db ?? (await createTestDatabase('es_app'));
  const prefix = reuse?.prefix ?? `test:${randomUUID()}`;
  const settings: AppSettings = {
    databaseUrl: db.url,
    redisUrl: TEST_REDIS_URL,
    redisPrefix: prefix,
    httpPort: 0,
    httpHost: '127.0.0.1',
    matchWindowMs: 20,
    searchTimeoutS: 600,
    idleTimeoutS: 900,
    floodMax: 100,
    floodWindowS: 5,
    retentionDays: 7,
    pacerLimits: { global: {}, perChat: {} },
    deliveryBackoffMs: 5,
    ...overrides,
  };
  let app: App;
  try {
    app = await createApp(settings, log, transports);
  } catch (err) {
    if (!reuse) await db.drop();
    throw err;
  }
  return {
    app,
    db,
    prefix,
    settings,
    async stop() {
      await app.stop();
      if (reuse) return;
      await flushPrefix(TEST_REDIS_URL, prefix);
      await db.drop();
    },
    async stopKeepingData() {
      await app.stop();
    },
  };
}
