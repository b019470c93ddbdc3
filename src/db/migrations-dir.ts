import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationsDirectoryError } from './migration-errors.js';

/*
 * prisma/migrations in Prisma's folder format: one folder per migration, named so that
 * lexical order is apply order (`<yyyymmddhhmmss>_<name>`), each holding migration.sql,
 * plus migration_lock.toml naming the provider.
 */

export interface MigrationFile {
  /** The folder name, recorded as `migration_name` in _prisma_migrations. */
  readonly name: string;
  readonly sqlPath: string;
  readonly script: string;
  readonly checksum: string;
}

/** The checksum `prisma migrate deploy` records for a migration: sha256 of migration.sql, lowercase hex. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Whether `script` is the one that was applied with `recorded`. Like Prisma, a file whose line
 * endings git converted (LF <-> CRLF) still matches, and so does a checksum written by old
 * Prisma versions that did not zero-pad each byte.
 */
export function checksumMatches(script: string, recorded: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replace(/\r?\n/g, '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    const padded = digest.toString('hex');
    const unpadded = [...digest].map((byte) => byte.toString(16)).join('');
    return recorded === (recorded.length === 64 ? padded : unpadded);
  });
}

async function checkLockFile(dir: string): Promise<void> {
  let lock: string;
  try {
    lock = await readFile(join(dir, 'migration_lock.toml'), 'utf8');
  } catch {
    return; // Prisma treats a missing lock file as "no provider recorded yet".
  }
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(lock)?.[1];
  if (provider !== undefined && provider !== 'postgresql') {
    throw new MigrationsDirectoryError(
      `${join(dir, 'migration_lock.toml')} says these migrations are for "${provider}", not postgresql`,
    );
  }
}

/** Lists the migrations in `dir` in apply order, with their scripts and checksums. */
export async function readMigrationsDir(dir: string): Promise<MigrationFile[]> {
  await checkLockFile(dir);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new MigrationsDirectoryError(`cannot read the migrations folder ${dir}`, { cause: err });
  }
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    // Plain code-unit order, the same on every machine (Prisma sorts folder names the same way).
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const sqlPath = join(dir, name, 'migration.sql');
      let script: string;
      try {
        script = await readFile(sqlPath, 'utf8');
      } catch (err) {
        throw new MigrationsDirectoryError(`migration ${name} has no readable migration.sql (${sqlPath})`, {
          cause: err,
        });
      }
      return { name, sqlPath, script, checksum: migrationChecksum(script) };
    }),
  );
}
