import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { withDatabase } from '../../../src/db/database-url.js';
import { DatabaseSetupError, ensureDatabase } from '../../../src/db/ensure-database.js';
import { silentLog } from '../../support/log.js';
import {
  adminDatabaseUrl,
  databaseExists,
  dropDatabase,
  testDatabaseUrl,
  uniqueDatabaseName,
  withClient,
} from '../../support/postgres.js';

/* DATABASE_URL may name a database that does not exist yet; the service creates it when it may. */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

function missingDatabase(): { name: string; url: string } {
  const name = uniqueDatabaseName('es_ensure');
  cleanup.push(() => dropDatabase(name));
  return { name, url: testDatabaseUrl(name) };
}

describe('ensureDatabase', () => {
  it('creates a missing database, and finds it there the next time', async () => {
    const { name, url } = missingDatabase();
    expect(await databaseExists(name)).toBe(false);

    expect(await ensureDatabase({ databaseUrl: url, log: silentLog })).toBe('created');
    expect(await databaseExists(name)).toBe(true);
    expect(await ensureDatabase({ databaseUrl: url, log: silentLog })).toBe('exists');
  });

  it('lets two processes starting together both go on, with the database created once', async () => {
    const { name, url } = missingDatabase();

    const results = await Promise.all([
      ensureDatabase({ databaseUrl: url, log: silentLog }),
      ensureDatabase({ databaseUrl: url, log: silentLog }),
    ]);

    expect(results.sort()).toEqual(['created', 'exists']);
    expect(await databaseExists(name)).toBe(true);
  });

  it('says clearly, without the password, when the role may not create databases', async () => {
    const role = `es_nocreate_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await withClient(adminDatabaseUrl, (c) => c.query(`CREATE ROLE ${role} LOGIN NOCREATEDB PASSWORD '${password}'`));
    cleanup.push(async () => {
      await withClient(adminDatabaseUrl, (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    });
    const { name } = missingDatabase();
    const url = new URL(withDatabase(adminDatabaseUrl, name));
    url.username = role;
    url.password = password;

    const attempt = ensureDatabase({ databaseUrl: url.toString(), log: silentLog });

    await expect(attempt).rejects.toBeInstanceOf(DatabaseSetupError);
    await expect(attempt).rejects.toThrow(`does not exist and role "${role}" may not create it`);
    await expect(attempt).rejects.not.toThrow(password);
    expect(await databaseExists(name)).toBe(false);
  });
});
