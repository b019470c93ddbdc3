import type { ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Log, MatchingPort, PairSink } from './core/index.js';
import { MatcherSchedulers } from './jobs/matcher-schedulers.js';
import { Matchmaker } from './matcher/index.js';

export interface MatcherHandle {
  readonly port: MatchingPort;
  readonly matchmaker: Matchmaker;
  start(sink: PairSink): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the ES-MM matcher: the in-process window loop (Matchmaker) and the BullMQ
 * schedulers that rebalance the pool (search timeouts included) and keep it tidy.
 */
export function createMatcher(options: {
  readonly redis: Redis;
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly windowMs: number;
  readonly searchTimeoutS: number;
  readonly log: Log;
}): MatcherHandle {
  const matchmaker = new Matchmaker({
    redis: options.redis,
    prefix: options.prefix,
    windowMs: options.windowMs,
    searchTimeoutS: options.searchTimeoutS,
    log: options.log,
  });
  const schedulers = new MatcherSchedulers({
    connection: options.connection,
    prefix: options.prefix,
    matcher: matchmaker,
    log: options.log,
  });
  return {
    port: matchmaker,
    matchmaker,
    async start(sink) {
      matchmaker.start(sink);
      await schedulers.start();
    },
    async stop() {
      await schedulers.close();
      await matchmaker.stop();
    },
  };
}
