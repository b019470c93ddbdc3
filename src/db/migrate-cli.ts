/*
 * `npm run db:migrate`: create the database if it is missing and apply pending migrations,
 * the same steps the service takes at start. An entry point, like main.ts: it alone here
 * hands the environment to config.ts and builds the logger.
 */
// eslint-disable-next-line no-restricted-imports -- an entry point reads config, like main.ts
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { ensureDatabase } from './ensure-database.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';

async function main(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- config.ts interprets it; this only passes it on
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  await ensureDatabase({ databaseUrl: config.databaseUrl, log });
  await migrate({ databaseUrl: config.databaseUrl, migrationsDir: MIGRATIONS_DIR, log });
}

main().catch((err: unknown) => {
  // One readable paragraph for the operator; these errors never contain the database password.
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`db:migrate failed: ${message}\n`);
  process.exitCode = 1;
});
