import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DatabaseNotEmptyError,
  FailedMigrationsFoundError,
  MigrationChangedError,
  MigrationFailedError,
} from '../../../src/db/migration-errors.js';
import { MIGRATIONS_DIR, migrate } from '../../../src/db/migrate.js';
import { migrationChecksum, readMigrationsDir } from '../../../src/db/migrations-dir.js';
import { silentLog } from '../../support/log.js';
import { createTestDatabase, withClient, type TestDatabase } from '../../support/postgres.js';

/*
 * How the runner treats its history: an applied migration must never change, and a failed
 * one is recorded and stops every later start, as `prisma migrate deploy` does. Each test
 * works on a temporary copy of prisma/migrations so it can edit files freely.
 */

let db: TestDatabase;
let dir: string;

beforeEach(async () => {
  db = await createTestDatabase('es_migrate_hist');
  dir = await mkdtemp(join(tmpdir(), 'es-migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
});

afterEach(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const run = (): Promise<string[]> => migrate({ databaseUrl: db.url, migrationsDir: dir, log: silentLog });

async function firstMigration(): Promise<{ name: string; sqlPath: string; script: string }> {
  const [first] = await readMigrationsDir(dir);
  if (!first) throw new Error('prisma/migrations has no migration');
  return first;
}

async function addMigration(name: string, sql: string): Promise<string> {
  await mkdir(join(dir, name));
  const sqlPath = join(dir, name, 'migration.sql');
  await writeFile(sqlPath, sql);
  return sqlPath;
}

const query = <T extends object>(sql: string, params: unknown[] = []): Promise<T[]> =>
  withClient(db.url, async (client) => (await client.query<T>(sql, params)).rows);

describe('an applied migration that was edited', () => {
  it('stops the next run with an error naming the migration', async () => {
    const first = await firstMigration();
    expect(await run()).toContain(first.name);

    await writeFile(first.sqlPath, `${first.script}\n-- a harmless-looking edit\n`);

    const next = run();
    await expect(next).rejects.toBeInstanceOf(MigrationChangedError);
    await expect(next).rejects.toThrow(`Migration ${first.name} was changed after it was applied`);
    await expect(next).rejects.toThrow(first.sqlPath);
  });

  it('is not confused by line endings that git converted', async () => {
    const first = await firstMigration();
    await run();

    await writeFile(first.sqlPath, first.script.replace(/\n/g, '\r\n'));

    expect(await run()).toEqual([]);
  });

  it('is checked before anything new is applied', async () => {
    const first = await firstMigration();
    await run();
    await writeFile(first.sqlPath, `${first.script}\n-- edited\n`);
    await addMigration('29990101000000_later', 'CREATE TABLE "Later" ("id" INTEGER NOT NULL);');

    await expect(run()).rejects.toBeInstanceOf(MigrationChangedError);
    expect(await query("SELECT to_regclass('\"Later\"') AS t")).toEqual([{ t: null }]);
  });
});

describe('a migration that fails', () => {
  const broken = '29990101000000_broken';
  // The first statement would succeed on its own; the transaction must take it back.
  const brokenSql = 'CREATE TABLE "Half" ("id" INTEGER NOT NULL);\nINSERT INTO "Missing" ("x") VALUES (1);\n';

  it('is rolled back, recorded like Prisma records it, and reported with its name', async () => {
    const sqlPath = await addMigration(broken, brokenSql);

    const attempt = run();
    await expect(attempt).rejects.toBeInstanceOf(MigrationFailedError);
    await expect(attempt).rejects.toThrow(`Migration name: ${broken}`);
    await expect(attempt).rejects.toThrow('Database error code: 42P01');
    await expect(attempt).rejects.toThrow('Position: line 2: INSERT INTO "Missing"');

    // Earlier migrations stay applied; the broken one left nothing behind but its history row.
    expect(await query("SELECT to_regclass('\"User\"') IS NOT NULL AS t")).toEqual([{ t: true }]);
    expect(await query("SELECT to_regclass('\"Half\"') AS t")).toEqual([{ t: null }]);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      logs: string | null;
    }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count, logs
       FROM _prisma_migrations WHERE migration_name = $1`,
      [broken],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      checksum: migrationChecksum(await readFile(sqlPath, 'utf8')),
      finished_at: null,
      applied_steps_count: 0,
    });
    expect(rows[0]?.logs).toContain('relation "Missing" does not exist');
  });

  it('blocks later runs until it is marked rolled back, then the fixed file applies', async () => {
    const sqlPath = await addMigration(broken, brokenSql);
    await expect(run()).rejects.toBeInstanceOf(MigrationFailedError);

    const again = run();
    await expect(again).rejects.toBeInstanceOf(FailedMigrationsFoundError);
    await expect(again).rejects.toThrow(`The \`${broken}\` migration started at`);

    // What `prisma migrate resolve --rolled-back` does, then the developer fixes the file.
    await query('UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1', [broken]);
    await writeFile(sqlPath, 'CREATE TABLE "Half" ("id" INTEGER NOT NULL);\n');

    expect(await run()).toEqual([broken]);
    const rows = await query<{ finished: boolean; rolled_back: boolean }>(
      `SELECT finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
       FROM _prisma_migrations WHERE migration_name = $1 ORDER BY started_at`,
      [broken],
    );
    expect(rows).toEqual([
      { finished: false, rolled_back: true },
      { finished: true, rolled_back: false },
    ]);
  });
});

describe('a database that was not made by these migrations', () => {
  it('is refused when it has tables but no history', async () => {
    await query('CREATE TABLE "Stranger" ("id" INTEGER NOT NULL)');

    await expect(run()).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    expect(await query("SELECT to_regclass('_prisma_migrations') AS t")).toEqual([{ t: null }]);
  });
});
