import { PrismaPg } from '@prisma/adapter-pg';
import type { Log } from '../core/log.js';
import { PrismaClient } from './generated/client.js';

export type { PrismaClient } from './generated/client.js';

export interface CreatePrismaOptions {
  /** Largest number of pooled connections (node-postgres default: 10). */
  readonly maxConnections?: number;
  /** Where to report errors of idle pooled connections (a restarted server, a dropped socket). */
  readonly log?: Log;
}

/**
 * A PrismaClient over node-postgres. Prisma 7 runs its query compiler as WebAssembly behind
 * this driver adapter, so no native engine is needed. The caller owns the client and must
 * `$disconnect()` it on shutdown; there is deliberately no shared instance.
 */
export function createPrisma(databaseUrl: string, options: CreatePrismaOptions = {}): PrismaClient {
  const { log } = options;
  const adapter = new PrismaPg(
    {
      connectionString: databaseUrl,
      ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }),
    },
    // Without these an idle connection's error is only swallowed by the adapter; a log line
    // explains the failed queries that follow.
    log
      ? {
          onPoolError: (err) => log.warn({ err }, 'postgres: idle pooled connection failed'),
          onConnectionError: (err) => log.warn({ err }, 'postgres: connection failed'),
        }
      : undefined,
  );
  return new PrismaClient({ adapter });
}
