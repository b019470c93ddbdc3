import pg from 'pg';
import type { Log } from '../core/log.js';
import { databaseName, databaseUser, describeDatabase, withDatabase } from './database-url.js';
import { sqlState } from './pg-error.js';

/** The database is missing and cannot be created (no CREATEDB right, no maintenance database). */
export class DatabaseSetupError extends Error {
  override readonly name = 'DatabaseSetupError';
}

export type EnsureDatabaseResult = 'exists' | 'created';

export interface EnsureDatabaseOptions {
  readonly databaseUrl: string;
  readonly log: Log;
}

// SQLSTATEs this file reacts to (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const INVALID_CATALOG_NAME = '3D000'; // the database in the connection string does not exist
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505'; // two CREATE DATABASE racing on the pg_database catalog
const INSUFFICIENT_PRIVILEGE = '42501';

// Where to connect to run CREATE DATABASE, in the order createdb(1) tries them.
const MAINTENANCE_DATABASES = ['postgres', 'template1'] as const;

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function canConnect(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'echosoul-setup' });
  try {
    await client.connect();
    return true;
  } catch (err) {
    if (sqlState(err) === INVALID_CATALOG_NAME) return false;
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Makes sure the database named in `databaseUrl` exists, creating it when the role may.
 * Safe when several processes start at once: whoever loses the race to create it simply
 * finds it there.
 */
export async function ensureDatabase({ databaseUrl, log }: EnsureDatabaseOptions): Promise<EnsureDatabaseResult> {
  if (await canConnect(databaseUrl)) return 'exists';

  const name = databaseName(databaseUrl);
  const where = describeDatabase(databaseUrl);
  for (const maintenance of MAINTENANCE_DATABASES) {
    const client = new pg.Client({
      connectionString: withDatabase(databaseUrl, maintenance),
      application_name: 'echosoul-setup',
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      if (sqlState(err) === INVALID_CATALOG_NAME) continue;
      throw err;
    }
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      log.info({ database: where }, 'created the database');
      return 'created';
    } catch (err) {
      const code = sqlState(err);
      if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) {
        log.debug({ database: where }, 'another process created the database first');
        return 'exists';
      }
      if (code === INSUFFICIENT_PRIVILEGE) {
        throw new DatabaseSetupError(
          `database ${where} does not exist and role "${databaseUser(databaseUrl)}" may not create it: ` +
            `create it (createdb ${quoteIdent(name)}) or grant the role CREATEDB`,
        );
      }
      throw err;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new DatabaseSetupError(
    `database ${where} does not exist, and neither maintenance database (${MAINTENANCE_DATABASES.join(', ')}) ` +
      'is there to create it from: create it by hand',
  );
}
