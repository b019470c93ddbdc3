import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationLockTimeoutError } from '../../../src/db/migration-errors.js';
import { MIGRATIONS_DIR, migrate } from '../../../src/db/migrate.js';
import { readMigrationsDir } from '../../../src/db/migrations-dir.js';
import { recordingLog, silentLog } from '../../support/log.js';
import {
  createTestDatabase,
  databaseExists,
  dropDatabase,
  testDatabaseUrl,
  uniqueDatabaseName,
  withClient,
} from '../../support/postgres.js';

/*
 * Several service instances (or a deploy step and a starting instance) may migrate the same
 * database at the same moment. They must take turns, and each migration must run once.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

const historyOf = (url: string): Promise<HistoryRow[]> =>
  withClient(url, async (client) => {
    const { rows } = await client.query<HistoryRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
       FROM _prisma_migrations ORDER BY migration_name`,
    );
    return rows;
  });

/** What _prisma_migrations must hold after every migration ran exactly once, successfully. */
async function expectEachMigrationOnce(url: string): Promise<void> {
  const files = await readMigrationsDir(MIGRATIONS_DIR);
  const rows = await historyOf(url);
  expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
  for (const [i, row] of rows.entries()) {
    expect(row.checksum).toBe(files[i]?.checksum);
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.rolled_back_at).toBeNull();
    expect(row.applied_steps_count).toBe(1);
    expect(row.logs).toBeNull();
  }
}

/** Holds Prisma Migrate's advisory lock from another session until `release()` is called. */
async function holdMigrateLock(url: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  return { release: () => client.end() };
}

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function runMigrateCli(databaseUrl: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A minimal environment: config.ts validates every variable, and the test's own must not leak in.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/db/migrate-cli.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describe('migrate under concurrency', () => {
  it('two runs started together both succeed and apply each migration once', async () => {
    const db = await createTestDatabase('es_migrate_race');
    cleanup.push(() => db.drop());

    // Hold the lock so that both runs are certainly waiting for it at the same time.
    const lock = await holdMigrateLock(db.url);
    const first = recordingLog();
    const second = recordingLog();
    const runs = Promise.all([
      migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR, log: first.log }),
      migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR, log: second.log }),
    ]);
    const waiting = (lines: typeof first.lines): boolean => lines.some((l) => l.msg.includes('waiting'));
    await waitUntil(() => waiting(first.lines) && waiting(second.lines), 'both runs wait for the lock');
    await lock.release();

    const [appliedByFirst, appliedBySecond] = await runs;
    const names = (await readMigrationsDir(MIGRATIONS_DIR)).map((m) => m.name);
    expect([...appliedByFirst, ...appliedBySecond]).toEqual(names);
    await expectEachMigrationOnce(db.url);
  });

  it('two `db:migrate` processes started together on a database that does not exist yet', async () => {
    const name = uniqueDatabaseName('es_migrate_cli');
    cleanup.push(() => dropDatabase(name));
    const url = testDatabaseUrl(name);

    const results = await Promise.all([runMigrateCli(url), runMigrateCli(url)]);

    for (const { code, stderr } of results) expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(await databaseExists(name)).toBe(true);
    await expectEachMigrationOnce(url);
  });

  it('gives up with a clear error when another process holds the lock for too long', async () => {
    const db = await createTestDatabase('es_migrate_lock');
    cleanup.push(() => db.drop());
    const lock = await holdMigrateLock(db.url);
    cleanup.unshift(() => lock.release());

    const run = migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR, log: silentLog, lockTimeoutMs: 200 });

    await expect(run).rejects.toBeInstanceOf(MigrationLockTimeoutError);
    await expect(run).rejects.toThrow(/waiting for the migration lock/);
    // Nothing was touched while the lock was held elsewhere.
    const history = await withClient(db.url, (c) =>
      c.query<{ t: string | null }>("SELECT to_regclass('_prisma_migrations') AS t"),
    );
    expect(history.rows).toEqual([{ t: null }]);
  });

  it('the repository has migrations to apply', async () => {
    // Guards the tests above against passing vacuously on an empty folder.
    const folders = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory());
    expect(folders.length).toBeGreaterThan(0);
  });
});
