import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '../../src/db/database-url.js';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import { silentLog } from './log.js';

/*
 * Every test file gets databases of its own on the test server, so files run in parallel
 * without seeing each other's rows. Names start with a prefix and end in random hex.
 */

/** A role that may create and drop databases; TEST_DATABASE_ADMIN_URL overrides the local default. */
export const adminDatabaseUrl =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** Runs `work` with a client connected to `url`, closing it afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'echosoul-tests' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const withAdmin = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => withClient(adminDatabaseUrl, work);

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A fresh name that no database has yet: `<prefix>_<12 hex>`, safe as an unquoted identifier. */
export function uniqueDatabaseName(prefix = 'es_test'): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
  return `${clean}_${randomBytes(6).toString('hex')}`;
}

export function testDatabaseUrl(name: string): string {
  return withDatabase(adminDatabaseUrl, name);
}

export async function databaseExists(name: string): Promise<boolean> {
  return withAdmin(async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`));
}

/** Creates an empty database; call `drop()` in afterAll. */
export async function createTestDatabase(prefix = 'es_test'): Promise<TestDatabase> {
  const name = uniqueDatabaseName(prefix);
  await withAdmin((client) => client.query(`CREATE DATABASE ${quote(name)}`));
  return { name, url: testDatabaseUrl(name), drop: () => dropDatabase(name) };
}

/** Creates a database with every migration in prisma/migrations applied. */
export async function createMigratedTestDatabase(prefix = 'es_test'): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  try {
    await migrate({ databaseUrl: db.url, migrationsDir: MIGRATIONS_DIR, log: silentLog });
  } catch (err) {
    await db.drop();
    throw err;
  }
  return db;
}
