import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Log } from '../core/log.js';
import { describeDatabase } from './database-url.js';
import {
  DatabaseNotEmptyError,
  FailedMigrationsFoundError,
  MigrationChangedError,
  MigrationFailedError,
  MigrationLockTimeoutError,
} from './migration-errors.js';
import {
  createHistoryTable,
  historyTableExists,
  listMigrationRecords,
  recordMigrationFailed,
  recordMigrationFinished,
  recordMigrationStarted,
  schemaHasTables,
  type MigrationRecord,
} from './migration-history.js';
import { checksumMatches, readMigrationsDir, type MigrationFile } from './migrations-dir.js';
import { describePgError, sqlState } from './pg-error.js';

/*
 * Applies prisma/migrations the way `prisma migrate deploy` would (the Prisma CLI cannot
 * run its schema engine on these machines; see docs/architecture.md, "Data"), with two
 * deliberate differences: an applied migration whose file changed stops the run instead of
 * being logged, and a migration's history row is finished inside its own transaction.
 */

/** The repository's prisma/migrations. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** Prisma Migrate's advisory lock key, so this runner and `prisma migrate deploy` exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;
const LOCK_NOT_AVAILABLE = '55P03';

export interface MigrateOptions {
  readonly databaseUrl: string;
  readonly migrationsDir: string;
  readonly log: Log;
  /** How long to wait while another process migrates the same database (default 2 minutes). */
  readonly lockTimeoutMs?: number;
}

/**
 * Applies pending migrations in name order, each in its own transaction, while holding
 * Prisma's advisory lock on a dedicated connection, so processes that start together take
 * turns and each migration runs once. Returns the names of the migrations it applied.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const { databaseUrl, migrationsDir, log } = options;
  const database = describeDatabase(databaseUrl);
  // Read the folder first: a broken checkout should fail before touching the database.
  const migrations = await readMigrationsDir(migrationsDir);

  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'echosoul-migrate' });
  // A dropped connection is reported by the failing query; this only keeps the 'error' event
  // from crashing the process while the client is between queries.
  client.on('error', (err) => log.warn({ err }, 'migrate: database connection failed'));
  await client.connect();
  try {
    await acquireLock(client, database, options.lockTimeoutMs ?? 120_000, log);
    // The lock is session-level: ending the connection below releases it, even after an error.
    return await applyPending(client, migrations, database, log);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function acquireLock(client: pg.Client, database: string, timeoutMs: number, log: Log): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    PRISMA_MIGRATE_LOCK_KEY,
  ]);
  if (rows[0]?.locked === true) return;

  log.info({ database }, 'migrate: another process is migrating this database; waiting for it');
  await client.query("SELECT set_config('lock_timeout', $1, false)", [`${Math.max(1, Math.round(timeoutMs))}ms`]);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  } catch (err) {
    if (sqlState(err) === LOCK_NOT_AVAILABLE) throw new MigrationLockTimeoutError(database, timeoutMs);
    throw err;
  } finally {
    // lock_timeout would otherwise also cut short the migrations' own waits for table locks.
    // If RESET fails the connection is gone, and the error that got us here says more.
    await client.query('RESET lock_timeout').catch(() => undefined);
  }
}

async function applyPending(
  client: pg.Client,
  migrations: readonly MigrationFile[],
  database: string,
  log: Log,
): Promise<string[]> {
  if (!(await historyTableExists(client))) {
    // Like Prisma: a database with tables but no history was not made by these migrations.
    if (await schemaHasTables(client)) throw new DatabaseNotEmptyError(database);
    await createHistoryTable(client);
  }
  const records = await listMigrationRecords(client);
  rejectFailedMigrations(records);

  const applied = new Map<string, MigrationRecord>();
  for (const record of records) {
    if (record.rolledBackAt === null) applied.set(record.migrationName, record);
  }
  for (const migration of migrations) {
    const record = applied.get(migration.name);
    if (record && !checksumMatches(migration.script, record.checksum)) {
      throw new MigrationChangedError(migration.name, migration.sqlPath, record.checksum, migration.checksum);
    }
  }
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...applied.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    log.warn(
      { migrations: unknown },
      'migrate: the database has migrations this version does not know (was a newer version run?)',
    );
  }

  const pending = migrations.filter((m) => !applied.has(m.name));
  const appliedNow: string[] = [];
  for (const migration of pending) {
    await applyOne(client, migration, log);
    appliedNow.push(migration.name);
  }
  const summary = appliedNow.length > 0 ? 'migrate: applied migrations' : 'migrate: database schema is up to date';
  log.info({ database, applied: appliedNow }, summary);
  return appliedNow;
}

function rejectFailedMigrations(records: readonly MigrationRecord[]): void {
  const failed = records.filter((r) => r.finishedAt === null && r.rolledBackAt === null);
  if (failed.length === 0) return;
  const details = failed
    .map((r) => {
      const logs = r.logs?.trim() ? ` with the following logs:\n${r.logs.trim()}` : '';
      return `The \`${r.migrationName}\` migration started at ${r.startedAt.toISOString()} failed${logs}`;
    })
    .join('\n');
  throw new FailedMigrationsFoundError(
    failed.map((r) => r.migrationName),
    details,
  );
}

async function applyOne(client: pg.Client, migration: MigrationFile, log: Log): Promise<void> {
  const startedAt = performance.now();
  log.info({ migration: migration.name }, 'migrate: applying migration');
  const id = await recordMigrationStarted(client, migration.name, migration.checksum);
  try {
    await client.query('BEGIN');
    await client.query(migration.script);
    await recordMigrationFinished(client, id);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const { code, text } = describePgError(err, migration.script);
    const failure = new MigrationFailedError(migration.name, code, text, { cause: err });
    // Prisma keeps the error in `logs`; the unfinished row makes the next start refuse to go on.
    await recordMigrationFailed(client, id, failure.message).catch((recordErr: unknown) =>
      log.error({ err: recordErr, migration: migration.name }, 'migrate: could not record the failure'),
    );
    throw failure;
  }
  log.info({ migration: migration.name, ms: Math.round(performance.now() - startedAt) }, 'migrate: applied migration');
}
