/*
 * Why a migration run stopped. Each message is complete on its own: the service prints it
 * and exits, so it names the migration and says what an operator should do next.
 * Where Prisma has an error code for the same situation it is kept in `prismaCode`, so the
 * message can be looked up in Prisma's docs (https://pris.ly/d/migrate-resolve).
 */

export abstract class MigrationError extends Error {
  abstract readonly prismaCode: string | undefined;
}

/** An applied migration's migration.sql no longer matches the checksum recorded when it ran. */
export class MigrationChangedError extends MigrationError {
  override readonly name = 'MigrationChangedError';
  override readonly prismaCode = undefined;
  constructor(
    readonly migrationName: string,
    readonly sqlPath: string,
    readonly recordedChecksum: string,
    readonly fileChecksum: string,
  ) {
    super(
      `Migration ${migrationName} was changed after it was applied: ${sqlPath} no longer matches the ` +
        `checksum recorded in _prisma_migrations (recorded ${recordedChecksum.slice(0, 12)}…, ` +
        `file ${fileChecksum.slice(0, 12)}…). Restore the file as it was applied and put the change ` +
        'in a new migration.',
    );
  }
}

/** A migration's SQL failed; its transaction was rolled back and the failure recorded (P3018). */
export class MigrationFailedError extends MigrationError {
  override readonly name = 'MigrationFailedError';
  override readonly prismaCode = 'P3018';
  constructor(
    readonly migrationName: string,
    readonly databaseErrorCode: string,
    readonly databaseError: string,
    options?: ErrorOptions,
  ) {
    super(
      'A migration failed to apply. New migrations cannot be applied before the error is recovered from. ' +
        'Read more about how to resolve migration issues in a production database: ' +
        'https://pris.ly/d/migrate-resolve\n\n' +
        `Migration name: ${migrationName}\n\n` +
        `Database error code: ${databaseErrorCode}\n\n` +
        `Database error:\n${databaseError}`,
      options,
    );
  }
}

/** An earlier run left a migration started but not finished (P3009); nothing new is applied. */
export class FailedMigrationsFoundError extends MigrationError {
  override readonly name = 'FailedMigrationsFoundError';
  override readonly prismaCode = 'P3009';
  constructor(readonly migrationNames: readonly string[], details: string) {
    super(
      'migrate found failed migrations in the target database, new migrations will not be applied. ' +
        'Read more about how to resolve migration issues in a production database: ' +
        'https://pris.ly/d/migrate-resolve\n' +
        `${details}\n` +
        'Each migration runs in one transaction, so a failed one left no changes behind. Fix it, then mark it ' +
        `rolled back (npx prisma migrate resolve --rolled-back <name>, or UPDATE "_prisma_migrations" ` +
        'SET rolled_back_at = now() WHERE migration_name = \'<name>\' AND finished_at IS NULL) and start again.',
    );
  }
}

/** The database has tables but no migration history, so it was not created by these migrations (P3005). */
export class DatabaseNotEmptyError extends MigrationError {
  override readonly name = 'DatabaseNotEmptyError';
  override readonly prismaCode = 'P3005';
  constructor(readonly database: string) {
    super(
      `The database schema is not empty: ${database} has tables but no _prisma_migrations table. ` +
        'Point DATABASE_URL at an empty or EchoSoul-managed database, or baseline it ' +
        '(https://pris.ly/d/migrate-baseline).',
    );
  }
}

/** Another process held the migration lock for longer than we were willing to wait. */
export class MigrationLockTimeoutError extends MigrationError {
  override readonly name = 'MigrationLockTimeoutError';
  override readonly prismaCode = 'P1002';
  constructor(
    readonly database: string,
    readonly waitedMs: number,
  ) {
    super(
      `Timed out after ${waitedMs} ms waiting for the migration lock on ${database} ` +
        '(SELECT pg_advisory_lock(72707369)): another process is migrating it or holds the lock.',
    );
  }
}

/** prisma/migrations is not in Prisma's folder format (a folder without migration.sql, another provider). */
export class MigrationsDirectoryError extends MigrationError {
  override readonly name = 'MigrationsDirectoryError';
  override readonly prismaCode = undefined;
}
