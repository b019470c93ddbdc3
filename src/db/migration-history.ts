import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/*
 * The `_prisma_migrations` table, read and written exactly as `prisma migrate deploy` does
 * (prisma-engines, sql_migration_persistence.rs), so either tool can take over a database
 * the other one migrated. The table lives in the connection's current schema.
 */

export interface MigrationRecord {
  readonly id: string;
  readonly checksum: string;
  readonly finishedAt: Date | null;
  readonly migrationName: string;
  readonly logs: string | null;
  readonly rolledBackAt: Date | null;
  readonly startedAt: Date;
  readonly appliedStepsCount: number;
}

type Db = Pick<pg.ClientBase, 'query'>;

// Prisma's own DDL for the table, unchanged.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export async function historyTableExists(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ exists: boolean }>(
    "SELECT to_regclass(quote_ident(current_schema()) || '._prisma_migrations') IS NOT NULL AS exists",
  );
  return rows[0]?.exists === true;
}

/** Whether the current schema holds any table besides the history table. */
export async function schemaHasTables(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
         AND table_name <> '_prisma_migrations'
     ) AS found`,
  );
  return rows[0]?.found === true;
}

export async function createHistoryTable(db: Db): Promise<void> {
  await db.query(CREATE_MIGRATIONS_TABLE);
}

/** Every row, oldest first (Prisma orders by started_at too). */
export async function listMigrationRecords(db: Db): Promise<MigrationRecord[]> {
  const { rows } = await db.query<{
    id: string;
    checksum: string;
    finished_at: Date | null;
    migration_name: string;
    logs: string | null;
    rolled_back_at: Date | null;
    started_at: Date;
    applied_steps_count: number;
  }>(
    `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
     FROM _prisma_migrations ORDER BY started_at ASC, migration_name ASC`,
  );
  return rows.map((r) => ({
    id: r.id,
    checksum: r.checksum,
    finishedAt: r.finished_at,
    migrationName: r.migration_name,
    logs: r.logs,
    rolledBackAt: r.rolled_back_at,
    startedAt: r.started_at,
    appliedStepsCount: r.applied_steps_count,
  }));
}

/**
 * Inserts the row before the script runs and commits it on its own, as Prisma does: if the
 * process dies mid-migration, the unfinished row is what tells the next start to stop.
 */
export async function recordMigrationStarted(db: Db, migrationName: string, checksum: string): Promise<string> {
  const id = randomUUID();
  await db.query(
    'INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)',
    [id, checksum, migrationName],
  );
  return id;
}

/** Prisma's "successful step" and "finished" updates in one statement. */
export async function recordMigrationFinished(db: Db, id: string): Promise<void> {
  // clock_timestamp(): inside the migration's transaction now() would be its start time.
  await db.query(
    `UPDATE _prisma_migrations
     SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp()
     WHERE id = $1`,
    [id],
  );
}

export async function recordMigrationFailed(db: Db, id: string, logs: string): Promise<void> {
  await db.query('UPDATE _prisma_migrations SET logs = $1 WHERE id = $2', [logs, id]);
}
