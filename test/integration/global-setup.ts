import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { adminDatabaseUrl } from '../support/postgres.js';

/*
 * Runs once before the integration tests. They need a real Postgres and Redis (never mocked,
 * docs/architecture.md "Testing") and the generated Prisma client; when one is missing, stop
 * here with one line saying what to do instead of a wall of timeouts from every test file.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function ensureGeneratedClient(): void {
  if (existsSync(`${root}/src/db/generated/client.ts`)) return;
  const result = spawnSync(process.execPath, ['scripts/prisma-generate.mjs'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error('integration tests: src/db/generated is missing and `npm run postinstall` failed to generate it');
  }
}

async function checkPostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `integration tests need Postgres at ${new URL(adminDatabaseUrl).host} (${reason}). ` +
        'Start it, or set TEST_DATABASE_ADMIN_URL to a role that may create databases.',
      { cause: err },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

// A bare RESP PING keeps this file free of a Redis client; any reply (even NOAUTH) means "up".
async function checkRedis(): Promise<void> {
  const url = new URL(redisUrl);
  if (url.protocol !== 'redis:') return;
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || 6379);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (reason: string): void => {
      socket.destroy();
      reject(
        new Error(`integration tests need Redis at ${host}:${port} (${reason}). Start it, or set TEST_REDIS_URL.`),
      );
    };
    socket.setTimeout(3000, () => fail('no answer within 3 s'));
    socket.once('error', (err) => fail(err.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', () => {
      socket.end();
      resolve();
    });
  });
}

export default async function setup(): Promise<void> {
  ensureGeneratedClient();
  await Promise.all([checkPostgres(), checkRedis()]);
}
